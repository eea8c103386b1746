import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Recommendation, recommendationObject } from "../../worker/durable/recommendation.ts";
import worker from "../../worker/index.ts";
import { keyedHash } from "../../worker/security/derived-keys.ts";
import { RECONCILE_BATCH } from "../../worker/services/reconcile.ts";
import { formBody, toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { type Created, storedUnopened } from "../helpers/submit.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

async function byName(name: string) {
  const rows = await env.DB.prepare(
    "SELECT r.id, q.event_seq FROM recommendations r JOIN queue q ON q.rec_seq = r.seq WHERE r.target_name = ? ORDER BY r.seq",
  )
    .bind(name)
    .all<{ id: string; event_seq: number }>();
  return rows.results;
}

async function opened(id: string): Promise<boolean> {
  return (await recommendationObject(env, id).state()) !== null;
}

/** Runs the Cron Trigger's handler as the platform would. */
async function runCron() {
  await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);
}

describe("intake commits to D1 and leaves the workflow object to its first reader", () => {
  it("answers 201 without opening the object; the first reader opens it at the intake time, with the content hash fixed then", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    expect(res.status).toBe(201);
    const { id, fingerprint } = (await res.json()) as Created & { fingerprint: string };
    // Nothing is left running after the answer: neither the object nor screening (both wait for the Cron Trigger).
    expect(await opened(id)).toBe(false);
    const stored = await env.DB.prepare("SELECT screened_at FROM recommendations WHERE id = ?")
      .bind(id)
      .first<{ screened_at: string | null }>();
    expect(stored).toEqual({ screened_at: null });
    const row = await env.DB.prepare("SELECT created_at FROM recommendations WHERE id = ?")
      .bind(id)
      .first<{ created_at: string }>();

    await new Promise((resolve) => setTimeout(resolve, 20));
    const token = await createToken(["export"]);
    const events = await call(`/api/v1/recommendations/${id}/events`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(events.status).toBe(200);
    const [first, ...rest] = (await events.json()) as { seq: number; at: string; data: { content_sha256: string } }[];
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ seq: 1, at: row?.created_at, data: { content_sha256: fingerprint } });
    expect(await recommendationObject(env, id).state()).toMatchObject({ step: "received", eventSeq: 1 });
  });

  it("answers a retry with the key with the same recommendation, stored once", async () => {
    const name = `Retried ${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const body = sampleRecommendation({ targetName: name });
    const first = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const a = (await first.json()) as Created;
    const again = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(a);
    expect(await byName(name)).toHaveLength(1);
  });

  it("does the same for a form post repeated with its token, showing the reference but not the receipt again", async () => {
    const name = `Form repeated ${crypto.randomUUID()}`;
    const fields: [string, string][] = [
      ...toFormFields(sampleRecommendation({ targetName: name })),
      ["_token", "AAAAAAAAAAAAAAAAAAAAAA".replace(/A/g, () => "ABCDEFGH"[Math.floor(Math.random() * 8)] as string)],
    ];
    const post = () =>
      call("/en/recommendations", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
        body: formBody(fields).toString(),
      });
    const first = await post();
    expect(first.status).toBe(201);
    const html = await first.text();
    const reference = /data-testid="reference"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(html).toContain('data-testid="receipt-code"');

    const again = await post();
    expect(again.status).toBe(201);
    const replayed = await again.text();
    expect(replayed).toContain(`>${reference}<`);
    expect(replayed).not.toContain('data-testid="receipt-code"');
    expect(replayed).toContain('data-testid="replay"');
    expect(await byName(name)).toHaveLength(1);
  });

  it("opens the object when the submitter looks up the receipt before anything else did", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt, reference } = (await res.json()) as Created;
    expect(await opened(id)).toBe(false);
    const status = await postJson("/api/v1/status", { receipt });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ reference, step: "received" });
    expect(await opened(id)).toBe(true);
  });

  it("opens the object when a reviewer opens the recommendation or acts on it", async () => {
    const reviewer = await staffSession("reviewer");
    const first = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as Created;
    expect(await opened(first.id)).toBe(false);
    expect((await call(`/review/${first.id}`, { headers: { Cookie: reviewer.cookie } })).status).toBe(200);
    expect(await opened(first.id)).toBe(true);

    const second = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as Created;
    expect(await opened(second.id)).toBe(false);
    const acted = await postJson(
      `/api/v1/recommendations/${second.id}/actions`,
      { action: "advance", expected_step: "received" },
      { Cookie: reviewer.cookie, Origin: ORIGIN },
    );
    expect(acted.status).toBe(200);
    expect(await acted.json()).toMatchObject({ step: "triage" });
  });

  it("heals a key left claimed by a request that died before committing", async () => {
    const key = crypto.randomUUID();
    const name = `Crashed claim ${crypto.randomUUID()}`;
    const body = sampleRecommendation({ targetName: name });
    // What a request that crashed between claiming and committing leaves behind.
    await env.DB.prepare("INSERT INTO idempotency (key_hash, body_hash, created_at) VALUES (?, ?, ?)")
      .bind(
        await keyedHash(env.DATA_KEY, "idempotency", `api:${key}`),
        "whatever",
        new Date(Date.now() - 120_000).toISOString(),
      )
      .run();
    const res = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(res.status).toBe(201);
    expect(await byName(name)).toHaveLength(1);
    const again = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(((await again.json()) as Created).id).toBe(((await res.json()) as Created).id);
  });
});

describe("the scheduled reconciliation (Cron Trigger)", () => {
  it("opens every new recommendation's object, more than a batch in one run, and confirms its queue row", async () => {
    const name = `Cron ${crypto.randomUUID()}`;
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
    const { id } = (await res.json()) as Created;
    expect(await byName(name)).toEqual([{ id, event_seq: 0 }]);
    // A burst: more new rows than one batch of the reconciliation.
    const burst = `Burst ${crypto.randomUUID()}`;
    for (let i = 0; i < RECONCILE_BATCH + 20; i++) await storedUnopened(burst);

    await runCron();
    expect(await opened(id)).toBe(true);
    expect(await byName(name)).toEqual([{ id, event_seq: 1 }]);
    const rows = await byName(burst);
    expect(rows).toHaveLength(RECONCILE_BATCH + 20);
    expect(rows.filter((r) => r.event_seq !== 1)).toEqual([]);
    expect(await opened(rows.at(-1)?.id as string)).toBe(true);
  });

  it("leaves an object that cannot be opened for its next run, and opens the others", async () => {
    const name = `Unavailable ${crypto.randomUUID()}`;
    await storedUnopened(name);
    await storedUnopened(name);
    vi.spyOn(Recommendation.prototype, "open").mockImplementationOnce(async () => {
      throw new Error("object unavailable");
    });
    await runCron();
    // The other is opened all the same (the failed one may be too, by the rolling pass of the same run).
    expect((await byName(name)).map((r) => r.event_seq)).toContain(1);
    await runCron();
    expect((await byName(name)).map((r) => r.event_seq)).toEqual([1, 1]);
  });

  it("rewrites queue rows that drifted from their objects, a batch per run", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id } = (await res.json()) as Created;
    await runCron();
    expect(await opened(id)).toBe(true);
    await env.DB.prepare(
      "UPDATE queue SET step = 'filed', event_seq = 1 WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?)",
    )
      .bind(id)
      .run();
    // The rolling pass visits every recommendation within a few runs.
    for (let run = 0; run < 5; run++) await runCron();
    const row = await env.DB.prepare(
      "SELECT q.step FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
    )
      .bind(id)
      .first<{ step: string }>();
    expect(row?.step).toBe("received");
  });
});
