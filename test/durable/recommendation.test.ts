import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../worker/domain/event-log.ts";
import type { Actor, Step } from "../../worker/domain/workflow.ts";
import { Recommendation, recommendationObject } from "../../worker/durable/recommendation.ts";
import { sampleFiling } from "../helpers/filings.ts";
import { submitSample } from "../helpers/submit.ts";

const reviewer: Actor = { kind: "staff", id: "rev-1", email: "rev1@example.org", role: "reviewer" };
const coordA: Actor = { kind: "staff", id: "coord-a", email: "a@example.org", role: "coordinator" };
const coordB: Actor = { kind: "staff", id: "coord-b", email: "b@example.org", role: "coordinator" };

async function queueRow(id: string) {
  return env.DB.prepare(
    "SELECT q.step, q.overdue, q.event_seq, q.due_at FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
  )
    .bind(id)
    .first<{ step: string; overdue: number; event_seq: number; due_at: string | null }>();
}

const FILING = sampleFiling({ id: "filing-1", channel: "portal", filed_by: "a@example.org" });

async function fresh() {
  const { id } = await submitSample();
  return { id, object: recommendationObject(env, id) };
}

/** Moves the deadline into the past, as if the days had gone by. */
async function expireDeadline(object: DurableObjectStub<Recommendation>) {
  await runInDurableObject(object, async (_instance, state) => {
    state.storage.sql.exec("UPDATE state SET due_at = ?", new Date(Date.now() - 60_000).toISOString());
    await state.storage.setAlarm(Date.now());
  });
}

describe("the Recommendation object", () => {
  it("walks the whole way, received → … → designated, logging every step on an intact chain", async () => {
    const { id, object } = await fresh();
    const walk: [Parameters<typeof object.act>[0], Actor, Step, Step][] = [
      [{ action: "advance" }, reviewer, "received", "triage"],
      [{ action: "advance" }, reviewer, "triage", "legal_review"],
      [{ action: "advance" }, reviewer, "legal_review", "evidence_review"],
      [{ action: "advance" }, reviewer, "evidence_review", "final_approval"],
      [{ action: "approve" }, coordA, "final_approval", "final_approval"],
      [{ action: "approve" }, coordB, "final_approval", "approved"],
      [{ action: "file", filing: FILING }, coordA, "approved", "filed"],
      [
        {
          action: "record_outcome",
          filing_id: FILING.id,
          outcome: {
            outcome: "designated",
            on: "2026-06-01",
            targets: null,
            list_reference: null,
            source_url: null,
            by: "b",
          },
        },
        coordB,
        "filed",
        "designated",
      ],
    ];
    for (const [input, actor, from, to] of walk) {
      const result = await object.act(input, actor, from);
      expect(result, `${input.action} from ${from}`).toMatchObject({ ok: true, snapshot: { step: to } });
    }
    const events = await object.events();
    expect(events.map((e) => e.action)).toEqual([
      "submit",
      "advance",
      "advance",
      "advance",
      "advance",
      "approve",
      "approve",
      "file",
      "record_outcome",
    ]);
    expect(events.map((e) => e.actor).slice(5, 7)).toEqual(["a@example.org", "b@example.org"]);
    expect(await verifyChain(events)).toBeNull();
    expect(await queueRow(id)).toMatchObject({ step: "designated", event_seq: 9 });
  });

  it("does not let one coordinator approve twice", async () => {
    const { object } = await fresh();
    for (const from of ["received", "triage", "legal_review", "evidence_review"] as const) {
      await object.act({ action: "advance" }, reviewer, from);
    }
    expect((await object.act({ action: "approve" }, coordA, "final_approval")).ok).toBe(true);
    expect(await object.act({ action: "approve" }, coordA, "final_approval")).toMatchObject({
      ok: false,
      error: "invalid_transition",
    });
    expect((await object.state())?.step).toBe("final_approval");
  });

  it("takes a change request to the submitter and their answer back to the step that asked", async () => {
    const { id, object } = await fresh();
    await object.act({ action: "advance" }, reviewer, "received");
    await object.act({ action: "advance" }, reviewer, "triage");
    const asked = await object.act({ action: "request_changes", comment: "Which year?" }, reviewer, "legal_review");
    expect(asked).toMatchObject({ ok: true, snapshot: { step: "changes_requested", returnStep: "legal_review" } });
    expect((await queueRow(id))?.step).toBe("changes_requested");
    const answered = await object.act({ action: "respond", comment: "2019." }, { kind: "submitter" }, null);
    expect(answered).toMatchObject({ ok: true, snapshot: { step: "legal_review", returnStep: null } });
    const last = (await object.events()).at(-1);
    expect(last).toMatchObject({ actor: "submitter", action: "respond", comment: "2019.", to_submitter: true });
  });

  it("lets exactly one of 20 concurrent identical advances through; the rest are stale (409)", async () => {
    const { id, object } = await fresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => object.act({ action: "advance" }, reviewer, "received")),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r).toMatchObject({ error: "invalid_transition", step: "triage" });
    expect((await object.events()).filter((e) => e.action === "advance")).toHaveLength(1);
    expect((await queueRow(id))?.step).toBe("triage");
  });

  it("marks a missed deadline once: the alarm logs one overdue event, however often it runs", async () => {
    const { id, object } = await fresh();
    expect((await object.state())?.dueAt).not.toBeNull();
    await expireDeadline(object);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    const after = await object.events();
    expect(after.at(-1)).toMatchObject({ actor: "system", action: "overdue", from: "received", to: "received" });
    expect(await queueRow(id)).toMatchObject({ overdue: 1, step: "received" });

    await runInDurableObject(object, (_i, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(object);
    expect((await object.events()).filter((e) => e.action === "overdue")).toHaveLength(1);
    expect(await verifyChain(await object.events())).toBeNull();
  });

  it("clears overdue and arms the next step's deadline when the step moves on", async () => {
    const { id, object } = await fresh();
    await expireDeadline(object);
    await runDurableObjectAlarm(object);
    const moved = await object.act({ action: "advance" }, reviewer, "received");
    expect(moved).toMatchObject({ ok: true, snapshot: { step: "triage", overdue: false } });
    const snapshot = await object.state();
    const days = JSON.parse(env.DEADLINE_DAYS).triage as number;
    expect(Date.parse(snapshot?.dueAt ?? "") - Date.now()).toBeGreaterThan((days - 1) * 86_400_000);
    const alarm = await runInDurableObject(object, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(snapshot?.dueAt ?? ""));
    expect(await queueRow(id)).toMatchObject({ overdue: 0, step: "triage", due_at: snapshot?.dueAt });
  });

  it("keeps an accepted action when D1 is down, and brings the queue up to date from the alarm", async () => {
    const { id, object } = await fresh();
    await env.DB.exec("ALTER TABLE queue RENAME TO queue_offline");
    try {
      const result = await object.act({ action: "advance" }, reviewer, "received");
      expect(result).toMatchObject({ ok: true, snapshot: { step: "triage", projectedSeq: 1, eventSeq: 2 } });
    } finally {
      await env.DB.exec("ALTER TABLE queue_offline RENAME TO queue");
    }
    expect((await queueRow(id))?.step).toBe("received");
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await queueRow(id)).toMatchObject({ step: "triage", event_seq: 2 });
    expect((await object.state())?.projectedSeq).toBe(2);
  });

  it("detects a tampered event: the chain no longer verifies from that event on", async () => {
    const { object } = await fresh();
    await object.act({ action: "advance" }, reviewer, "received");
    await object.act({ action: "comment", comment: "Looks solid" }, reviewer, "triage");
    expect(await object.verify()).toBeNull();
    await runInDurableObject(object, (_i, state) => {
      state.storage.sql.exec("UPDATE events SET comment = 'Looks weak' WHERE seq = 3");
    });
    expect(await object.verify()).toBe(3);
  });

  it("keeps an intact chain in every object these tests created", async () => {
    const ids = await listDurableObjectIds(env.RECOMMENDATION);
    expect(ids.length).toBeGreaterThan(5);
    let tampered = 0;
    for (const id of ids) {
      const broken = await env.RECOMMENDATION.get(id).verify();
      if (broken !== null) tampered++;
    }
    // Exactly the one the tampering test edited.
    expect(tampered).toBe(1);
  });

  it("brings an object stored before the later columns up to date when it is next loaded, keeping its state", async () => {
    const { id, object } = await fresh();
    await object.state();
    const columns = await runInDurableObject(object, async (_instance, state) => {
      const sql = state.storage.sql;
      // The shape of the first objects: no event data, no filings, nothing of the submitter's reading.
      sql.exec("ALTER TABLE events DROP COLUMN data");
      for (const column of ["filings", "submitter_seen_seq", "submitter_seen_at", "replied_at"])
        sql.exec(`ALTER TABLE state DROP COLUMN ${column}`);
      const loaded = new Recommendation(state, env);
      const names = (table: string) =>
        sql
          .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
          .toArray()
          .map((c) => c.name);
      return { state: names("state"), events: names("events"), snapshot: await loaded.state() };
    });
    expect(columns.state).toEqual(expect.arrayContaining(["filings", "submitter_seen_seq", "replied_at"]));
    expect(columns.events).toContain("data");
    expect(columns.snapshot).toMatchObject({ id, step: "received", filings: [], submitterSeenSeq: 0 });
  });
});
