import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLOSED_STEPS,
  closedAtAfter,
  erasureDueAt,
  type Lifecycle,
  parseRetentionDays,
  purgeDueAt,
  purgeReason,
} from "../../worker/domain/retention.ts";
import { type Actor, initialState, STEPS, type Step, transition } from "../../worker/domain/workflow.ts";

const DAY = 86_400_000;
const at = "2026-03-01T10:00:00.000Z";
const plus = (days: number) => new Date(Date.parse(at) + days * DAY).toISOString();
const life = (extra: Partial<Lifecycle>): Lifecycle => ({
  step: "rejected",
  closedAt: at,
  held: false,
  eraseAt: null,
  purgedAt: null,
  ...extra,
});
const coordinator: Actor = { kind: "staff", id: "c1", email: "c1@example.org", role: "coordinator" };
const reviewer: Actor = { kind: "staff", id: "r1", email: "r1@example.org", role: "reviewer" };
const system: Actor = { kind: "system" };

describe("RETENTION_DAYS", () => {
  it("takes a whole number of days from 0; anything else is the default of 365", () => {
    expect(parseRetentionDays("30")).toBe(30);
    expect(parseRetentionDays("0")).toBe(0);
    for (const bad of [undefined, "", " ", "-1", "1.5", "a year", "1e400"]) expect(parseRetentionDays(bad)).toBe(365);
  });
});

describe("when the purge is due", () => {
  it("is RETENTION_DAYS after closing, at once with 0, and never while open, held or done", () => {
    expect(purgeDueAt(life({}), 365)).toBe(plus(365));
    expect(purgeDueAt(life({}), 0)).toBe(at);
    for (const step of STEPS.filter((s) => !(CLOSED_STEPS as readonly Step[]).includes(s))) {
      expect(purgeDueAt(life({ step }), 365)).toBeNull();
    }
    expect(purgeDueAt(life({ held: true }), 365)).toBeNull();
    expect(purgeDueAt(life({ purgedAt: plus(1) }), 365)).toBeNull();
  });

  it("is the earlier of the retention period and an erasure asked for, whatever the step", () => {
    const eraseAt = erasureDueAt(plus(2));
    expect(eraseAt).toBe(plus(9));
    expect(purgeDueAt(life({ eraseAt }), 365)).toBe(eraseAt);
    expect(purgeDueAt(life({ eraseAt }), 3)).toBe(plus(3));
    expect(purgeDueAt(life({ step: "triage", closedAt: null, eraseAt }), 365)).toBe(eraseAt);
    expect(purgeDueAt(life({ eraseAt, held: true }), 365)).toBeNull();
    expect(purgeReason(life({ eraseAt }), Date.parse(plus(10)))).toBe("erasure");
    expect(purgeReason(life({}), Date.parse(plus(400)))).toBe("retention");
  });

  it("is never earlier than RETENTION_DAYS after the clock last started (any days, any step)", () => {
    fc.assert(
      fc.property(fc.nat(3650), fc.constantFrom(...CLOSED_STEPS), (days, step) => {
        const due = purgeDueAt(life({ step }), days);
        expect(Date.parse(due ?? "")).toBe(Date.parse(at) + days * DAY);
      }),
    );
  });
});

describe("the retention clock", () => {
  it("starts on closing and again on release, runs on between closed steps, stops on reopening", () => {
    expect(closedAtAfter({ step: "final_approval", closedAt: null }, "rejected", "reject", at)).toBe(at);
    expect(closedAtAfter({ step: "rejected", closedAt: at }, "rejected", "comment", plus(5))).toBe(at);
    expect(closedAtAfter({ step: "rejected", closedAt: at }, "rejected", "release", plus(5))).toBe(plus(5));
    expect(closedAtAfter({ step: "designated", closedAt: at }, "not_designated", "record_outcome", plus(5))).toBe(at);
    expect(closedAtAfter({ step: "rejected", closedAt: at }, "triage", "reopen", plus(5))).toBeNull();
    expect(closedAtAfter({ step: "triage", closedAt: null }, "triage", "release", plus(5))).toBeNull();
  });
});

describe("hold, release, erasure and purge in the workflow", () => {
  it("lets coordinators hold (with a reason) and release, once each, in any step", () => {
    for (const step of STEPS) {
      const state = { ...initialState(), step };
      expect(transition(state, { action: "hold" }, coordinator)).toMatchObject({ ok: false, field: "comment" });
      expect(transition(state, { action: "hold", comment: "court" }, reviewer)).toMatchObject({ error: "forbidden" });
      const held = transition(state, { action: "hold", comment: "court" }, coordinator);
      expect(held).toMatchObject({ ok: true, state: { held: true, step }, event: { from: step, to: step } });
      if (!held.ok) continue;
      expect(transition(held.state, { action: "hold", comment: "again" }, coordinator)).toMatchObject({
        error: "invalid_transition",
      });
      expect(transition(held.state, { action: "release" }, coordinator)).toMatchObject({
        ok: true,
        state: { held: false },
      });
      expect(transition(state, { action: "release" }, coordinator)).toMatchObject({ error: "invalid_transition" });
    }
  });

  it("lets the submitter ask for erasure once, only after withdrawing; only the system purges, once", () => {
    const submitter: Actor = { kind: "submitter" };
    expect(transition(initialState(), { action: "request_erasure" }, submitter)).toMatchObject({
      error: "invalid_transition",
    });
    const withdrawn = { ...initialState(), step: "withdrawn" as const };
    const asked = transition(withdrawn, { action: "request_erasure" }, submitter);
    expect(asked).toMatchObject({ ok: true, state: { erasureRequested: true } });
    if (!asked.ok) return;
    expect(transition(asked.state, { action: "request_erasure" }, submitter)).toMatchObject({
      error: "invalid_transition",
    });
    expect(transition(withdrawn, { action: "purge" }, coordinator)).toMatchObject({ error: "forbidden" });
    const purged = transition(asked.state, { action: "purge" }, system);
    expect(purged).toMatchObject({ ok: true, state: { purged: true, step: "withdrawn" } });
    if (!purged.ok) return;
    expect(transition(purged.state, { action: "purge" }, system)).toMatchObject({ error: "invalid_transition" });
  });
});
