import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/domain/encoding.ts";
import { canonicalJson } from "../../worker/domain/event-log.ts";
import { keyedHash } from "../../worker/security/derived-keys.ts";
import { bucketOf, EVERYONE, networkOf, SUBMISSIONS, submissionLimits } from "../../worker/security/rate-limit.ts";
import { postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

/**
 * Someone who reads the whole database (an account compromise, a legal
 * demand, a point-in-time restore) must learn nothing that ties a
 * recommendation to a person: no address, no confirmation of a guess.
 */
async function tables(): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

describe("no address can be recovered from what D1 stores", () => {
  it("counts a submission under an HMAC whose key D1 does not hold, in a window fixed to the clock", async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const res = await postJson("/api/v1/recommendations", sampleRecommendation(), { "CF-Connecting-IP": address });
    expect(res.status).toBe(201);
    // No salt (or any other key material) kept beside the counters.
    expect(await tables()).not.toContain("salts");
    const bucket = await bucketOf(env, SUBMISSIONS, address);
    const row = await env.DB.prepare("SELECT bucket, reset_at FROM rate_limits WHERE bucket = ?")
      .bind(bucket)
      .first<{ bucket: string; reset_at: string }>();
    expect(row?.bucket).toBe(bucket);
    // The window ends on the hour, whenever the client came: no stored time says when that was.
    expect(row?.reset_at).toMatch(/T\d\d:00:00\.000Z$/);
    // The bucket is not a plain hash of the address with anything D1 could hold.
    expect(bucket).not.toBe(await sha256Hex(address));
    expect(bucket).not.toBe(await sha256Hex(`submission\u0000${address}`));
  });

  it("counts an IPv6 client by its /64, so rotating addresses within it changes nothing", async () => {
    expect(networkOf("2001:DB8:0:12:aa:bb:cc:dd")).toBe("2001:db8:0:12::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("2001:db8:0:0:ffff::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(networkOf("198.51.100.7")).toBe("198.51.100.7");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i < 10; i++) {
      const res = await postJson(
        "/api/v1/status",
        { receipt: `WRONG-${i}` },
        { "CF-Connecting-IP": `${prefix}::${i}` },
      );
      expect(res.status).toBe(404);
    }
    const next = await postJson("/api/v1/status", { receipt: "WRONG-X" }, { "CF-Connecting-IP": `${prefix}:ff::1` });
    expect(next.status).toBe(429);
  });

  it("holds a cap on everyone together when many addresses flood", async () => {
    const [, [all, subject] = []] = submissionLimits(env);
    if (!all || !subject) throw new Error("no cap on everyone");
    expect(subject).toBe(EVERYONE);
    // As if the hour's cap had been used up by a thousand addresses.
    const end = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    await env.DB.prepare("INSERT OR REPLACE INTO rate_limits (bucket, hits, reset_at) VALUES (?, ?, ?)")
      .bind(await bucketOf(env, all, subject), all.max, end)
      .run();
    const fresh = await postJson("/api/v1/recommendations", sampleRecommendation(), {
      "CF-Connecting-IP": `198.51.100.${Math.floor(Math.random() * 250)}`,
      "Accept-Language": "ar",
    });
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers.get("Retry-After"))).toBeGreaterThan(0);
    await env.DB.prepare("DELETE FROM rate_limits WHERE bucket = ?")
      .bind(await bucketOf(env, all, subject))
      .run();
  });
});

describe("nothing stored confirms a guess about sealed fields", () => {
  it("keeps only keyed hashes of an idempotency key and of the body it came with", async () => {
    const key = crypto.randomUUID();
    const body = sampleRecommendation();
    expect((await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key })).status).toBe(201);
    const rows = await env.DB.prepare("SELECT key_hash, body_hash FROM idempotency").all<{
      key_hash: string;
      body_hash: string;
    }>();
    const parsed = JSON.parse(JSON.stringify(body));
    // A guess at the contact details, hashed as anyone could, matches nothing stored.
    const plainBody = await sha256Hex(canonicalJson({ ...parsed, attachments: [] }));
    const plainKey = await sha256Hex(`api:${key}`);
    const stored = rows.results.flatMap((r) => [r.key_hash, r.body_hash]);
    expect(stored).not.toContain(plainBody);
    expect(stored).not.toContain(plainKey);
    // With the key that only the Worker holds, the row is found: it is the right one.
    expect(stored).toContain(await keyedHash(env.DATA_KEY, "idempotency", `api:${key}`));
  });
});
