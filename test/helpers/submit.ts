import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { findById, insertRecommendation } from "../../worker/db/recommendations.ts";
import { openingOf, recommendationObject } from "../../worker/durable/recommendation.ts";
import { postJson } from "./http.ts";
import { sampleRecommendation } from "./sample.ts";

export interface Created {
  id: string;
  reference: string;
  receipt: string;
  step: string;
}

/**
 * Waits until the background work after an intake (screening) is done, so
 * that it does not run into what a test measures next.
 */
export async function screened(id: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const row = await env.DB.prepare("SELECT screened_at FROM recommendations WHERE id = ?")
      .bind(id)
      .first<{ screened_at: string | null }>();
    if (row?.screened_at) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${id} was never screened`);
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

/** Submits the sample through the JSON API and returns the 201 body, once it is screened and its object opened. */
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
