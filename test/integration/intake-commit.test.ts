import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Recommendation, recommendationObject } from "../../worker/durable/recommendation.ts";
import worker from "../../worker/index.ts";
import { keyedHash } from "../../worker/security/derived-keys.ts";
import { formBody, toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { staffSession } from "../helpers/staff.ts";
import type { Created } from "../helpers/submit.ts";

/** The object cannot be opened, once: as when it is overloaded or its machine restarts mid-request. */
function failOpenOnce() {
  const spy = vi.spyOn(Recommendation.prototype, "open").mockImplementationOnce(async () => {
    throw new Error("object unavailable");
  });
  // Intake opens the object after its answer has gone: `failed()` waits for that attempt.
  return { spy, failed: () => vi.waitFor(() => expect(spy).toHaveBeenCalled()) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function byName(name: string) {
  const rows = await env.DB.prepare(
    "SELECT r.id, q.event_seq FROM recommendations r JOIN queue q ON q.rec_seq = r.seq WHERE r.target_name = ?",
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

describe("the intake commit cannot strand a submitter", () => {
  it("opens the object after the answer has gone, in the first step with the first event", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as Created;
    await vi.waitFor(async () => expect(await opened(id)).toBe(true));
    expect(await recommendationObject(env, id).state()).toMatchObject({ step: "received", eventSeq: 1 });
  });

  it("answers 201 when the object cannot be opened after D1 committed; a retry with the key returns the same recommendation and opens it", async () => {
    const name = `Stranded ${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const body = sampleRecommendation({ targetName: name });
    const failing = failOpenOnce();
    const first = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    await failing.failed();
    const a = (await first.json()) as Created;
    expect(await opened(a.id)).toBe(false);

    const again = await postJson("/api/v1/recommendations", body, { "Idempotency-Key": key });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(a);
    expect(await opened(a.id)).toBe(true);
    expect(await byName(name)).toHaveLength(1);
  });

  it("does the same for a form post repeated with its token, showing the reference but not the receipt again", async () => {
    const name = `Form stranded ${crypto.randomUUID()}`;
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
    const failing = failOpenOnce();
    const first = await post();
    expect(first.status).toBe(201);
    await failing.failed();
    const html = await first.text();
    const reference = /data-testid="reference"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(html).toContain('data-testid="receipt-code"');

    const again = await post();
    expect(again.status).toBe(201);
    const replayed = await again.text();
    expect(replayed).toContain(`>${reference}<`);
    expect(replayed).not.toContain('data-testid="receipt-code"');
    expect(replayed).toContain('data-testid="replay"');
    const rows = await byName(name);
    expect(rows).toHaveLength(1);
    expect(await opened(rows[0]?.id as string)).toBe(true);
  });

  it("opens the object when the submitter looks up the receipt before anything else did", async () => {
    const failing = failOpenOnce();
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt, reference } = (await res.json()) as Created;
    await failing.failed();
    expect(await opened(id)).toBe(false);
    const status = await postJson("/api/v1/status", { receipt });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ reference, step: "received" });
    expect(await opened(id)).toBe(true);
  });

  it("opens the object when a reviewer opens the recommendation or acts on it", async () => {
    const reviewer = await staffSession("reviewer");
    let failing = failOpenOnce();
    const first = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as Created;
    await failing.failed();
    expect(await opened(first.id)).toBe(false);
    expect((await call(`/review/${first.id}`, { headers: { Cookie: reviewer.cookie } })).status).toBe(200);
    expect(await opened(first.id)).toBe(true);

    vi.restoreAllMocks();
    failing = failOpenOnce();
    const second = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as Created;
    await failing.failed();
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
  it("opens objects intake could not reach and confirms their queue rows", async () => {
    const name = `Cron ${crypto.randomUUID()}`;
    const failing = failOpenOnce();
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
    const { id } = (await res.json()) as Created;
    await failing.failed();
    expect(await byName(name)).toEqual([{ id, event_seq: 0 }]);
    expect(await opened(id)).toBe(false);

    await runCron();
    expect(await opened(id)).toBe(true);
    expect(await byName(name)).toEqual([{ id, event_seq: 1 }]);
  });

  it("rewrites queue rows that drifted from their objects, a batch per run", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id } = (await res.json()) as Created;
    await vi.waitFor(async () => expect(await opened(id)).toBe(true));
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
