import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertRecommendation } from "../../worker/db/recommendations.ts";
import { contentSha256, sealedSha256 } from "../../worker/domain/custody.ts";
import { toBase64Url } from "../../worker/domain/encoding.ts";
import { type RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import worker from "../../worker/index.ts";
import { seal, sealContext } from "../../worker/security/crypto.ts";
import { dataKey } from "../../worker/security/keys.ts";
import { call } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken } from "../helpers/staff.ts";

const token = await createToken(["export", "contact"]);

/**
 * A recommendation as the code before version 2 stored it: its record in
 * version 1, its first event fixing the hash of that record. `custody: false`
 * is older still: no fingerprint and no salt.
 */
async function storeAsBefore(name: string, custody = true): Promise<{ id: string; fingerprint: string | null }> {
  const v1: RecommendationV1 = sampleRecommendation({ targetName: name });
  const { contact_name, contact_email, contact_phone, ...submitter } = v1.submitter;
  const { notes, ...safety } = v1.safety;
  const open = { ...v1, submitter, safety };
  const sealed = {
    contact_name,
    contact_email,
    contact_phone,
    safety_notes: notes,
    ...(custody ? { salt: toBase64Url(crypto.getRandomValues(new Uint8Array(16))) } : {}),
  };
  const sealedHash = await sealedSha256(sealed);
  const genesis = custody
    ? { content_sha256: await contentSha256(open, sealedHash), sealed_sha256: sealedHash, files: [] }
    : null;
  const id = crypto.randomUUID();
  const createdAt = new Date().toISOString();
  await insertRecommendation(env.DB, {
    id,
    language: "en",
    createdAt,
    receiptHash: crypto.randomUUID(),
    targetKind: v1.target.kind,
    targetName: v1.target.name,
    targetNameLatin: v1.target.name_latin ?? null,
    // As the migration that added the column filled it for rows stored before.
    targetNames: [v1.target.name, v1.target.name_latin ?? ""].filter(Boolean).join("\n"),
    submitterCountry: v1.submitter.country,
    conductCountry: v1.conduct.country,
    record: JSON.stringify(open),
    sealed: await seal(await dataKey(env), JSON.stringify(sealed), sealContext(id)),
    genesis: genesis ? JSON.stringify(genesis) : (null as unknown as string),
    categories: v1.conduct.categories,
    jurisdictions: v1.jurisdictions,
    step: "received",
    dueAt: null,
    attachments: [],
  });
  await recommendationObject(env, id).open({ id, createdAt, genesis: genesis ? JSON.stringify(genesis) : null });
  return { id, fingerprint: genesis?.content_sha256 ?? null };
}

async function get(path: string) {
  const res = await call(path, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

const scheduled = () => worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);

describe("recommendations stored in version 1", () => {
  it("are stored as version 2 by the Cron Trigger, losing nothing, and verify before and after", async () => {
    const old = await storeAsBefore("Stored Before Version Two");
    const before = await get(`/api/v1/recommendations/${old.id}`);
    expect((await get(`/api/v1/recommendations/${old.id}/verification`)).verified).toBe(true);

    await scheduled();

    const record = await env.DB.prepare("SELECT record FROM recommendations WHERE id = ?")
      .bind(old.id)
      .first<string>("record");
    const {
      contact_name: _n,
      contact_email: _e,
      contact_phone: _p,
      ...submitter
    } = sampleRecommendation({
      targetName: "Stored Before Version Two",
    }).submitter;
    const { notes: _s, ...safety } = sampleRecommendation().safety;
    expect(JSON.parse(record as string)).toEqual(
      upgrade({
        ...sampleRecommendation({ targetName: "Stored Before Version Two" }),
        submitter,
        safety,
      } as RecommendationV1),
    );
    // What readers saw before is what is stored now, and the queue does not show it as new activity.
    expect(await get(`/api/v1/recommendations/${old.id}`)).toEqual(before);
    const events = await recommendationObject(env, old.id).events();
    expect(events.at(-1)).toMatchObject({
      action: "upgrade",
      actor: "system",
      data: { previous_content_sha256: old.fingerprint, content_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const verdict = await get(`/api/v1/recommendations/${old.id}/verification`);
    expect(verdict).toMatchObject({ verified: true, content_sha256: events.at(-1)?.data?.content_sha256 });

    // Once is enough: the next run finds nothing left of it to do.
    await scheduled();
    expect((await recommendationObject(env, old.id).events()).length).toBe(events.length);
  });

  it("fix a fingerprint for records older still, which had none", async () => {
    const old = await storeAsBefore("Stored Before Custody", false);
    expect((await get(`/api/v1/recommendations/${old.id}/verification`)).checked).not.toContain("content");
    await scheduled();
    const last = (await recommendationObject(env, old.id).events()).at(-1);
    expect(last?.action).toBe("upgrade");
    expect(last?.data).toMatchObject({ sealed_sha256: expect.any(String), content_sha256: expect.any(String) });
    const verdict = await get(`/api/v1/recommendations/${old.id}/verification`);
    expect(verdict).toMatchObject({ verified: true });
    expect(verdict.checked).toContain("content");
  });
});
