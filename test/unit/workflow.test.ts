import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dueAt, parseDeadlineDays } from "../../worker/domain/deadlines.ts";
import type { Filing } from "../../worker/domain/filings.ts";
import {
  ACTIONS,
  type ActionInput,
  type Actor,
  allowedActions,
  initialState,
  RULES,
  STEPS,
  type Step,
  transition,
  type WorkflowState,
} from "../../worker/domain/workflow.ts";
import { TABLE_END, TABLE_START, workflowTable } from "../../worker/domain/workflow-table.ts";
import { answered, sampleFiling } from "../helpers/filings.ts";

const reviewer: Actor = { kind: "staff", id: "r1", email: "r1@example.org", role: "reviewer" };
const coordinator: Actor = { kind: "staff", id: "c1", email: "c1@example.org", role: "coordinator" };
const coordinator2: Actor = { kind: "staff", id: "c2", email: "c2@example.org", role: "coordinator" };
const admin: Actor = { kind: "staff", id: "a1", email: "a1@example.org", role: "admin" };
const submitter: Actor = { kind: "submitter" };
const system: Actor = { kind: "system" };

const filing = (outcome: Filing["outcome"] = null): Filing => sampleFiling({ outcome });
const decided = answered;

/** A state in `step`, with the filings that step implies (one awaiting an answer, or one answered). */
function at(step: Step, extra: Partial<WorkflowState> = {}): WorkflowState {
  const filings =
    step === "filed" ? [filing()] : step === "designated" || step === "not_designated" ? [filing(decided(step))] : [];
  return { ...initialState(), step, filings, ...extra };
}

/** Everything each action needs, so a row is tested on its step and role, not on a missing field. */
function complete(action: ActionInput["action"]): ActionInput {
  return {
    action,
    comment: "A reason",
    assignee: "r1",
    filing: { ...filing(), id: "f2", programme: "uk_global_human_rights" },
    filing_id: "f1",
    outcome: decided("designated"),
    file: "file-1",
    content_sha256: "c".repeat(64),
    match: "list:fx-kadyrov",
  };
}

/**
 * The workflow table of the README, transcribed by hand (not derived from RULES): who may do what,
 * from where, and where it leads.
 */
const TABLE: [ActionInput["action"], Actor[], Step, Step][] = [
  ["advance", [reviewer, coordinator], "received", "triage"],
  ["advance", [reviewer, coordinator], "triage", "legal_review"],
  ["advance", [reviewer, coordinator], "legal_review", "evidence_review"],
  ["advance", [reviewer, coordinator], "evidence_review", "final_approval"],
  ["request_changes", [reviewer, coordinator], "triage", "changes_requested"],
  ["request_changes", [reviewer, coordinator], "legal_review", "changes_requested"],
  ["request_changes", [reviewer, coordinator], "evidence_review", "changes_requested"],
  ["respond", [submitter], "changes_requested", "triage"],
  ["approve", [coordinator], "final_approval", "final_approval"],
  ["reject", [reviewer, coordinator], "triage", "rejected"],
  ["reject", [coordinator], "received", "rejected"],
  ["reject", [coordinator], "legal_review", "rejected"],
  ["reject", [coordinator], "evidence_review", "rejected"],
  ["reject", [coordinator], "final_approval", "rejected"],
  ["reject", [coordinator], "changes_requested", "rejected"],
  ["reject", [coordinator], "approved", "rejected"],
  ["file", [coordinator], "approved", "filed"],
  ["file", [coordinator], "filed", "filed"],
  ["file", [coordinator], "designated", "filed"],
  ["record_outcome", [coordinator], "filed", "designated"],
  ["reopen", [coordinator], "rejected", "triage"],
  ["reopen", [coordinator], "withdrawn", "triage"],
  ["withdraw", [submitter], "received", "withdrawn"],
  ["add_evidence", [submitter], "legal_review", "legal_review"],
  ["withdraw", [submitter], "triage", "withdrawn"],
  ["withdraw", [submitter], "changes_requested", "withdrawn"],
  ["withdraw", [submitter], "approved", "withdrawn"],
  ["assign", [reviewer, coordinator], "legal_review", "legal_review"],
  ["comment", [reviewer, coordinator], "filed", "filed"],
  ["comment", [reviewer, coordinator], "rejected", "rejected"],
  ["overdue", [system], "evidence_review", "evidence_review"],
  ["release_file", [coordinator], "designated", "designated"],
  ["correct", [coordinator], "filed", "filed"],
  ["upgrade", [system], "designated", "designated"],
  ["link", [reviewer, coordinator], "legal_review", "legal_review"],
  ["follow_up", [system], "filed", "filed"],
  ["message", [reviewer, coordinator], "rejected", "rejected"],
  ["message", [submitter], "evidence_review", "evidence_review"],
  ["message", [submitter], "filed", "filed"],
  ["add_evidence", [submitter], "filed", "filed"],
  ["hold", [coordinator], "rejected", "rejected"],
  ["release", [coordinator], "rejected", "rejected"],
  ["request_erasure", [submitter], "withdrawn", "withdrawn"],
  ["purge", [system], "designated", "designated"],
];

describe("transition(): every row of the workflow table", () => {
  for (const [action, actors, from, to] of TABLE) {
    for (const actor of actors) {
      const who = actor.kind === "staff" ? actor.role : actor.kind;
      it(`${who} may ${action} from ${from} to ${to}`, () => {
        // Only what is held can be released.
        const result = transition(at(from, { held: action === "release" }), complete(action), actor);
        expect(result).toMatchObject({ ok: true, state: { step: to }, event: { action, from, to } });
      });
    }
  }

  it("covers every rule of the table with at least one contract row", () => {
    const covered = RULES.filter((rule) =>
      TABLE.some(([action, actors, from]) => {
        const parties = actors.map((a) => (a.kind === "staff" ? a.role : a.kind));
        return action === rule.action && rule.from.includes(from) && parties.some((p) => rule.by.includes(p));
      }),
    );
    expect(covered).toHaveLength(RULES.length);
  });

  it("records not_designated as an outcome too", () => {
    const result = transition(
      at("filed"),
      { action: "record_outcome", filing_id: "f1", outcome: decided("not_designated") },
      coordinator,
    );
    expect(result).toMatchObject({ ok: true, state: { step: "not_designated" } });
  });

  it("gives admins every coordinator right", () => {
    expect(transition(at("approved"), complete("file"), admin)).toMatchObject({ ok: true, state: { step: "filed" } });
  });
});

/**
 * The whole contract as a hand-written table (not derived from RULES): for
 * each action, who may take it, from which steps, and where it leads. The
 * exhaustive test below checks every action × step × party against it, so a
 * transition the contract does not list cannot exist.
 */
const OPEN: Step[] = [
  "received",
  "triage",
  "legal_review",
  "evidence_review",
  "final_approval",
  "changes_requested",
  "approved",
];
type Party = "reviewer" | "coordinator" | "admin" | "submitter" | "system";
const STAFF_PARTIES: Party[] = ["reviewer", "coordinator", "admin"];
const HAND_TABLE: Record<ActionInput["action"], { by: Party[]; from: Step[]; to: (from: Step) => Step }[]> = {
  advance: [
    {
      by: STAFF_PARTIES,
      from: ["received", "triage", "legal_review", "evidence_review"],
      to: (from) =>
        (({ received: "triage", triage: "legal_review", legal_review: "evidence_review" }) as Record<string, Step>)[
          from
        ] ?? "final_approval",
    },
  ],
  request_changes: [
    { by: STAFF_PARTIES, from: ["triage", "legal_review", "evidence_review"], to: () => "changes_requested" },
  ],
  respond: [{ by: ["submitter"], from: ["changes_requested"], to: () => "legal_review" }],
  approve: [{ by: ["coordinator", "admin"], from: ["final_approval"], to: () => "final_approval" }],
  reject: [
    { by: ["reviewer"], from: ["triage"], to: () => "rejected" },
    { by: ["coordinator", "admin"], from: OPEN, to: () => "rejected" },
  ],
  // A new filing awaits an answer: filed again until it has one.
  file: [
    { by: ["coordinator", "admin"], from: ["approved", "filed", "designated", "not_designated"], to: () => "filed" },
  ],
  record_outcome: [
    { by: ["coordinator", "admin"], from: ["filed", "designated", "not_designated"], to: () => "designated" },
  ],
  reopen: [{ by: ["coordinator", "admin"], from: ["rejected", "withdrawn"], to: () => "triage" }],
  assign: [{ by: STAFF_PARTIES, from: OPEN, to: (from) => from }],
  comment: [{ by: STAFF_PARTIES, from: [...STEPS], to: (from) => from }],
  withdraw: [{ by: ["submitter"], from: OPEN, to: () => "withdrawn" }],
  add_evidence: [{ by: ["submitter"], from: [...OPEN, "filed"], to: (from) => from }],
  // Staff write to the submitter from any step; the submitter writes while the review or a filing goes on,
  // except while a change request is open, when their words are its answer (respond).
  message: [
    { by: STAFF_PARTIES, from: [...STEPS], to: (from) => from },
    { by: ["submitter"], from: [...OPEN.filter((s) => s !== "changes_requested"), "filed"], to: (from) => from },
  ],
  release_file: [{ by: ["coordinator", "admin"], from: [...STEPS], to: (from) => from }],
  correct: [{ by: ["coordinator", "admin"], from: [...STEPS], to: (from) => from }],
  upgrade: [{ by: ["system"], from: [...STEPS], to: (from) => from }],
  overdue: [{ by: ["system"], from: OPEN, to: (from) => from }],
  link: [{ by: STAFF_PARTIES, from: [...STEPS], to: (from) => from }],
  follow_up: [{ by: ["system"], from: ["filed", "designated", "not_designated"], to: (from) => from }],
  hold: [{ by: ["coordinator", "admin"], from: [...STEPS], to: (from) => from }],
  release: [{ by: ["coordinator", "admin"], from: [...STEPS], to: (from) => from }],
  request_erasure: [{ by: ["submitter"], from: ["withdrawn"], to: (from) => from }],
  purge: [{ by: ["system"], from: [...STEPS], to: (from) => from }],
};
const PARTIES: Record<Party, Actor> = { reviewer, coordinator, admin, submitter, system };

describe("transition(): exhaustively, nothing beyond the contract", () => {
  it("answers every action × step × party exactly as the hand-written table says", () => {
    const mismatches: string[] = [];
    for (const action of ACTIONS) {
      for (const step of STEPS) {
        for (const [party, actor] of Object.entries(PARTIES) as [Party, Actor][]) {
          const rows = HAND_TABLE[action].filter((r) => r.by.includes(party));
          const row = rows.find((r) => r.from.includes(step));
          // A change request asked from legal review; its answer returns there.
          const state = at(step, {
            returnStep: step === "changes_requested" ? "legal_review" : null,
            held: action === "release",
          });
          const result = transition(state, complete(action), actor);
          const expected = row ? `ok → ${row.to(step)}` : rows.length > 0 ? "invalid_transition" : "forbidden";
          const actual = result.ok ? `ok → ${result.state.step}` : result.error;
          if (actual !== expected) mismatches.push(`${party} ${action} from ${step}: ${actual}, expected ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe("transition(): refusals", () => {
  it("refuses a role that has no such action (403: forbidden)", () => {
    for (const [state, action, actor] of [
      ["final_approval", "approve", reviewer],
      ["approved", "file", reviewer],
      ["filed", "record_outcome", reviewer],
      ["rejected", "reopen", reviewer],
      ["triage", "withdraw", coordinator],
      ["changes_requested", "respond", reviewer],
      ["triage", "advance", submitter],
      ["triage", "overdue", coordinator],
    ] as [Step, ActionInput["action"], Actor][]) {
      expect(transition(at(state), complete(action), actor), `${action} by ${JSON.stringify(actor)}`).toMatchObject({
        ok: false,
        error: "forbidden",
      });
    }
  });

  it("refuses an action from a step it does not apply to (409: invalid_transition, naming the step)", () => {
    for (const [state, action, actor] of [
      ["final_approval", "advance", reviewer],
      ["received", "request_changes", reviewer],
      ["legal_review", "reject", reviewer],
      ["filed", "reject", coordinator],
      ["triage", "approve", coordinator],
      ["final_approval", "file", coordinator],
      ["approved", "record_outcome", coordinator],
      ["triage", "reopen", coordinator],
      ["filed", "withdraw", submitter],
      ["withdrawn", "withdraw", submitter],
      ["triage", "respond", submitter],
      ["designated", "assign", reviewer],
      ["rejected", "overdue", system],
    ] as [Step, ActionInput["action"], Actor][]) {
      expect(transition(at(state), complete(action), actor), `${action} from ${state}`).toMatchObject({
        ok: false,
        error: "invalid_transition",
        step: state,
      });
    }
  });

  it("refuses an action without what it needs (comment, filing, outcome, assignee, content)", () => {
    const cases: [Step, ActionInput, Actor, string][] = [
      ["triage", { action: "request_changes", comment: "   " }, reviewer, "comment"],
      ["triage", { action: "reject" }, reviewer, "comment"],
      ["changes_requested", { action: "respond" }, submitter, "comment"],
      ["legal_review", { action: "comment", comment: "" }, reviewer, "comment"],
      ["approved", { action: "file" }, coordinator, "filing"],
      [
        "filed",
        { action: "record_outcome", filing_id: "f9", outcome: decided("designated") },
        coordinator,
        "filing_id",
      ],
      ["filed", { action: "record_outcome", filing_id: "f1" }, coordinator, "outcome"],
      ["filed", { action: "follow_up" }, system, "filing_id"],
      ["triage", { action: "assign" }, reviewer, "assignee"],
      ["triage", { action: "correct", comment: "A typo" }, coordinator, "content"],
    ];
    for (const [state, input, actor, field] of cases) {
      expect(transition(at(state), input, actor), JSON.stringify(input)).toMatchObject({
        ok: false,
        error: "missing_field",
        field,
      });
    }
  });
});

describe("two-person approval", () => {
  it("needs two different coordinators; the same one twice does not count", () => {
    const first = transition(at("final_approval"), { action: "approve" }, coordinator);
    expect(first).toMatchObject({ ok: true, state: { step: "final_approval", approvals: ["c1"] } });
    if (!first.ok) return;
    expect(transition(first.state, { action: "approve" }, coordinator)).toMatchObject({
      ok: false,
      error: "invalid_transition",
    });
    expect(allowedActions(first.state, coordinator, "c1")).not.toContain("approve");
    expect(allowedActions(first.state, coordinator2, "c2")).toContain("approve");
    const second = transition(first.state, { action: "approve" }, coordinator2);
    expect(second).toMatchObject({ ok: true, state: { step: "approved", approvals: [] }, event: { to: "approved" } });
  });

  it("starts counting again after the recommendation leaves final approval", () => {
    const first = transition(at("final_approval"), { action: "approve" }, coordinator);
    if (!first.ok) throw new Error("approve refused");
    const rejected = transition(first.state, { action: "reject", comment: "Weak" }, coordinator2);
    if (!rejected.ok) throw new Error("reject refused");
    expect(rejected.state.approvals).toEqual([]);
  });
});

describe("change requests", () => {
  it("return to the step that asked when the submitter answers", () => {
    for (const asker of ["triage", "legal_review", "evidence_review"] as const) {
      const asked = transition(at(asker), { action: "request_changes", comment: "More please" }, reviewer);
      if (!asked.ok) throw new Error("request refused");
      expect(asked.event.to_submitter).toBe(true);
      const answered = transition(asked.state, { action: "respond", comment: "Here it is" }, submitter);
      expect(answered).toMatchObject({ ok: true, state: { step: asker, returnStep: null } });
    }
  });

  it("still return to the step that asked when files were added while waiting for the answer", () => {
    const asked = transition(at("evidence_review"), { action: "request_changes", comment: "Statements?" }, reviewer);
    if (!asked.ok) throw new Error("request refused");
    const added = transition(asked.state, { action: "add_evidence", comment: "statement.pdf" }, submitter);
    if (!added.ok) throw new Error("add_evidence refused");
    expect(added.state).toMatchObject({ step: "changes_requested", returnStep: "evidence_review" });
    const noted = transition(added.state, { action: "comment", comment: "Waiting" }, reviewer);
    if (!noted.ok) throw new Error("comment refused");
    const answered = transition(noted.state, { action: "respond", comment: "Attached" }, submitter);
    expect(answered).toMatchObject({ ok: true, state: { step: "evidence_review", returnStep: null } });
  });

  it("keep an internal note from the submitter; a message always reaches them", () => {
    const hidden = transition(at("triage"), { action: "comment", comment: "Internal" }, reviewer);
    const shown = transition(at("triage"), { action: "message", comment: "For you" }, reviewer);
    const theirs = transition(at("legal_review"), { action: "message", comment: "A witness was arrested" }, submitter);
    expect(hidden).toMatchObject({ ok: true, event: { to_submitter: false } });
    expect(shown).toMatchObject({ ok: true, event: { to_submitter: true } });
    expect(theirs).toMatchObject({ ok: true, state: { step: "legal_review" }, event: { to_submitter: true } });
  });
});

describe("the buttons a person sees", () => {
  it("are the actions the table allows them now", () => {
    expect(allowedActions(at("triage"), reviewer)).toEqual([
      "advance",
      "request_changes",
      "reject",
      "assign",
      "comment",
      "message",
      "link",
    ]);
    expect(allowedActions(at("legal_review"), reviewer)).toEqual([
      "advance",
      "request_changes",
      "assign",
      "comment",
      "message",
      "link",
    ]);
    expect(allowedActions(at("approved"), coordinator)).toEqual([
      "reject",
      "file",
      "assign",
      "comment",
      "message",
      "release_file",
      "correct",
      "link",
      "hold",
    ]);
    expect(allowedActions(at("changes_requested"), submitter)).toEqual(["respond", "withdraw", "add_evidence"]);
    expect(allowedActions(at("legal_review"), submitter)).toEqual(["message", "withdraw", "add_evidence"]);
    expect(allowedActions(at("designated"), coordinator)).toEqual([
      "file",
      "record_outcome",
      "comment",
      "message",
      "release_file",
      "correct",
      "link",
      "hold",
    ]);
    // Held: it can be released, not held again.
    expect(allowedActions(at("designated", { held: true }), coordinator)).toContain("release");
    expect(allowedActions(at("designated", { held: true }), coordinator)).not.toContain("hold");
    expect(allowedActions(at("withdrawn"), submitter)).toEqual(["request_erasure"]);
    expect(allowedActions(at("withdrawn", { erasureRequested: true }), submitter)).toEqual([]);
  });
});

describe("deadlines", () => {
  it("read the configured days per step, ignoring what is not a step or not a positive number", () => {
    expect(parseDeadlineDays('{"triage":5,"moon":3,"legal_review":-1,"filed":"x"}')).toEqual({ triage: 5 });
    expect(parseDeadlineDays("not json")).toEqual({});
  });

  it("fall due the configured number of days after entering the step", () => {
    expect(dueAt("triage", "2026-01-01T10:00:00.000Z", { triage: 5 })).toBe("2026-01-06T10:00:00.000Z");
    expect(dueAt("filed", "2026-01-01T10:00:00.000Z", { triage: 5 })).toBeNull();
  });
});

describe("the README's workflow table", () => {
  it("is the table the code runs on (npm run docs writes it again)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
    expect(block).toBe(workflowTable());
  });

  it("tells which comments the submitter reads, from the same table", () => {
    for (const [action, expected] of [
      ["request_changes", true],
      ["reject", false],
      ["advance", false],
    ] as const) {
      const result = transition(at(action === "reject" ? "triage" : "legal_review"), complete(action), reviewer);
      expect(result, action).toMatchObject({ ok: true, event: { to_submitter: expected } });
    }
  });
});
