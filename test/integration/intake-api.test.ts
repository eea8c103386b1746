import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/domain/encoding.ts";
import { verifyChain } from "../../worker/domain/event-log.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { openedObject } from "../helpers/submit.ts";

interface Created {
  id: string;
  reference: string;
  receipt: string;
  step: string;
}

describe("POST /api/v1/recommendations", () => {
  it("stores the submission in D1; its Durable Object, opened by the first reader, logs the first event", async () => {
    const name = `Target ${crypto.randomUUID()}`;
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.step).toBe("received");
    expect(body.reference).toMatch(/^REC-\d{4}-\d{5}$/);

    const row = await env.DB.prepare(
      "SELECT r.*, q.step, q.event_seq FROM recommendations r JOIN queue q ON q.rec_seq = r.seq WHERE r.id = ?",
    )
      .bind(body.id)
      .first<Record<string, string | number>>();
    // event 0: the queue row waits for its object's confirmation (the scheduled reconciliation).
    expect(row).toMatchObject({ reference: body.reference, target_name: name, step: "received", event_seq: 0 });
    expect(row?.conduct_country).toBe("UA");
    expect(row?.receipt_hash).toBe(await sha256Hex(body.receipt));

    const tags = await env.DB.prepare(
      `SELECT (SELECT group_concat(category) FROM (SELECT category FROM recommendation_categories WHERE rec_seq = ?1 ORDER BY 1)) AS c,
              (SELECT group_concat(jurisdiction) FROM (SELECT jurisdiction FROM recommendation_jurisdictions WHERE rec_seq = ?1 ORDER BY 1)) AS j`,
    )
      .bind(row?.seq)
      .first<{ c: string; j: string }>();
    expect(tags).toEqual({
      c: "arbitrary_detention,torture",
      j: "eu_global_human_rights,uk_global_human_rights,us_glomag",
    });

    expect(await recommendationObject(env, body.id).state()).toBeNull();
    const object = await openedObject(body.id);
    expect(await object.state()).toMatchObject({ id: body.id, step: "received", eventSeq: 1 });
    const events = await object.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, actor: "submitter", action: "submit", from: null, to: "received" });
    expect(events[0]?.prev_hash).toBe("0".repeat(64));
    expect(await verifyChain(events)).toBeNull();
  });

  it("keeps the sensitive fields and the receipt out of D1 in clear", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt } = (await res.json()) as Created;
    const row = await env.DB.prepare("SELECT * FROM recommendations WHERE id = ?").bind(id).first();
    const stored = JSON.stringify(row);
    for (const secret of [
      "Olena Kovalenko",
      "olena@example.org",
      "+380 44 000 0000",
      "must not be contacted",
      receipt,
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain("Centre for Civil Liberties");
  });

  it("numbers references one after another", async () => {
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postJson("/api/v1/recommendations", sampleRecommendation());
      refs.push(((await res.json()) as Created).reference);
    }
    const numbers = refs.map((r) => Number(r.slice(-5)));
    expect(numbers[1]).toBe((numbers[0] ?? 0) + 1);
    expect(numbers[2]).toBe((numbers[0] ?? 0) + 2);
  });

  it("answers 422 with every invalid field and creates nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM recommendations").first<{ n: number }>();
    const bad = sampleRecommendation() as Record<string, any>;
    delete bad.target.name;
    bad.submitter.contact_email = "nobody";
    bad.conduct.summary = "short";
    const res = await postJson("/api/v1/recommendations", bad);
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; message: string; fields: { path: string; message: string }[] };
    };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields).toEqual([
      { path: "submitter.contact_email", message: "Enter an email address like name@example.org." },
      { path: "target.name", message: "This field is required." },
      { path: "conduct.summary", message: "Write at least 50 characters." },
    ]);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM recommendations").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("answers 400 in the error shape for malformed JSON", async () => {
    const raw = await call("/api/v1/recommendations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{nope",
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });
});
