import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { findById, insertRecommendation } from "../../worker/db/recommendations.ts";
import { openingOf, recommendationObject } from "../../worker/durable/recommendation.ts";
import { screenRecommendations } from "../../worker/services/screening.ts";
import { postJson } from "./http.ts";
import { sampleRecommendation } from "./sample.ts";

export interface Created {
  id: string;
  reference: string;
  receipt: string;
  step: string;
}

/**
 * Screens a new recommendation now, as the screening queue's consumer does
 * once the Cron Trigger's next run has put it there (intake leaves screening
 * for later): what a test that reads matches, marks or the search stands in for.
 */
export async function screened(id: string): Promise<void> {
  await screenRecommendations(env, [id]);
}

/**
 * The recommendation's workflow object, opened as its first reader opens it
 * (intake leaves that to the first reader or the Cron Trigger): what a test
 * that talks to the object itself stands in for.
 */
export async function openedObject(id: string) {
  const row = await findById(env.DB, id);
  if (!row) throw new Error(`no recommendation ${id}`);
  const object = recommendationObject(env, id);
  await object.open(openingOf(row));
  return object;
}

/** Submits the sample through the JSON API and returns the 201 body, screened and its object opened. */
export async function submitSample(targetName?: string): Promise<Created> {
  const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName }));
  expect(res.status).toBe(201);
  const created = (await res.json()) as Created;
  await screened(created.id);
  await openedObject(created.id);
  return created;
}

/**
 * A bare recommendation written straight to D1, its object not opened (as
 * intake leaves it), with an empty record marked screened: for tests of what
 * opens objects, where the content does not matter.
 */
export async function storedUnopened(name: string): Promise<string> {
  const id = crypto.randomUUID();
  await insertRecommendation(env.DB, {
    id,
    language: "en",
    createdAt: new Date().toISOString(),
    receiptHash: crypto.randomUUID(),
    targetKind: "person",
    targetName: name,
    targetNameLatin: null,
    targetNames: name,
    submitterCountry: "UA",
    conductCountry: "UA",
    record: "{}",
    sealed: "v1.x.y.z",
    genesis: JSON.stringify({ content_sha256: "c".repeat(64), sealed_sha256: "s".repeat(64), files: [] }),
    categories: ["torture"],
    jurisdictions: ["us_glomag"],
    step: "received",
    dueAt: null,
    attachments: [],
  });
  await env.DB.prepare("UPDATE recommendations SET screened_at = created_at WHERE id = ?").bind(id).run();
  return id;
}
