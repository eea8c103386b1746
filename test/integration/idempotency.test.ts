import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/domain/encoding.ts";
import { postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import type { Created } from "../helpers/submit.ts";

async function count(name: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM recommendations WHERE target_name = ?")
    .bind(name)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("Idempotency-Key on POST /api/v1/recommendations", () => {
  it("returns the first answer, receipt included, to a repeat, and creates nothing more", async () => {
    const key = crypto.randomUUID();
    const name = `Idem ${key}`;
    const body = sampleRecommendation({ targetName: name });
    const first = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    const again = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    const a = (await first.json()) as Created;
    expect(await again.json()).toEqual(a);
    expect(await count(name)).toBe(1);
    const stored = await env.DB.prepare("SELECT receipt_hash FROM recommendations WHERE id = ?").bind(a.id).first();
    expect(stored?.receipt_hash).toBe(await sha256Hex(a.receipt));
  });

  it("lets exactly one of many concurrent identical requests create the recommendation", async () => {
    const key = crypto.randomUUID();
    const name = `Concurrent ${key}`;
    const body = sampleRecommendation({ targetName: name });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => postJson("/api/v1/recommendations", body, { "Idempotency-Key": key })),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Created[];
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(bodies.map((b) => b.reference)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.receipt)).size).toBe(1);
    expect(await count(name)).toBe(1);
  });

  it("answers 409 when the key comes back with another body", async () => {
    const key = crypto.randomUUID();
    await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: `K1 ${key}` }), {
      "Idempotency-Key": key,
    });
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: `K2 ${key}` }), {
      "Idempotency-Key": key,
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("idempotency_key_reused");
    expect(await count(`K2 ${key}`)).toBe(0);
  });

  it("creates two recommendations for two requests without a key", async () => {
    const name = `Unkeyed ${crypto.randomUUID()}`;
    await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
    await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
    expect(await count(name)).toBe(2);
  });

  it("stores only a hash of the key", async () => {
    const key = `visible-key-${crypto.randomUUID()}`;
    await postJson("/api/v1/recommendations", sampleRecommendation(), { "Idempotency-Key": key });
    const rows = await env.DB.prepare("SELECT * FROM idempotency").all();
    expect(JSON.stringify(rows.results)).not.toContain(key);
  });
});
