import { type Filing, type FilingOutcome, stepOfFilings } from "./filings.ts";

/** The steps of the review, in the order a recommendation normally walks them. */
export const STEPS = [
  "received",
  "triage",
  "legal_review",
  "evidence_review",
  "final_approval",
  "approved",
  "filed",
  "designated",
  "not_designated",
  "changes_requested",
  "rejected",
  "withdrawn",
] as const;
export type Step = (typeof STEPS)[number];

export const INITIAL_STEP: Step = "received";

/** Steps where the review is still going on: before filing and not closed. */
export const OPEN_STEPS = [
  "received",
  "triage",
  "legal_review",
  "evidence_review",
  "final_approval",
  "changes_requested",
  "approved",
] as const satisfies readonly Step[];

export const ROLES = ["reviewer", "coordinator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Who acts: a staff member, the submitter (by receipt), or the system (deadlines). */
export type Actor =
  | { kind: "staff"; id: string; email: string; role: Role }
  | { kind: "submitter" }
  | { kind: "system" };
type Party = Role | "submitter" | "system";

export const ACTIONS = [
  "advance",
  "request_changes",
  "respond",
  "approve",
  "reject",
  "file",
  "record_outcome",
  "reopen",
  "assign",
  "comment",
  "withdraw",
  "add_evidence",
  "release_file",
  "correct",
  "upgrade",
  "overdue",
  "link",
  "follow_up",
  "message",
  "hold",
  "release",
  "request_erasure",
  "purge",
] as const;
export type Action = (typeof ACTIONS)[number];

/** Where an action leads: a fixed step, the same step, or a rule of its own. */
type Target = Step | "same" | "next" | "asker" | "second_approval" | "filings";

/**
 * A field an action cannot do without (`file`: it acts on one evidence file,
 * named in its comment; `content`: it replaces the stored submission, whose
 * new hash it carries, so only its own route takes it; `match`: it decides on
 * what screening found, so only the screening route takes it; `filing`: a
 * filing with a government, `filing_id` one of those filed, `outcome` what
 * that government did, each from the filings' own routes).
 */
export type Need = "comment" | "assignee" | "file" | "content" | "match" | "filing" | "filing_id" | "outcome";

/** Whether the submitter sees an action's comment on their status page. */
export type Audience = "submitter" | "staff";

interface Rule {
  action: Action;
  by: readonly Party[];
  from: readonly Step[];
  to: Target;
  needs?: readonly Need[];
  /** Who reads its comment; staff only when not said. */
  shown?: Audience;
}

const REVIEW = ["triage", "legal_review", "evidence_review"] as const satisfies readonly Step[];
const STAFF = ["reviewer", "coordinator", "admin"] as const satisfies readonly Party[];
const COORDINATORS = ["coordinator", "admin"] as const satisfies readonly Party[];
/** Steps with filings: a government may be filed with, or answer, in any of them. */
const FILED = ["filed", "designated", "not_designated"] as const satisfies readonly Step[];
/**
 * Where the submitter may write unprompted, and add files: while the review
 * goes on and while governments are asked. In changes_requested their writing is the
 * answer (`respond`), which returns the recommendation to the step that asked.
 */
const LATE: readonly Step[] = [...OPEN_STEPS, "filed"];
const WRITABLE = LATE.filter((s) => s !== "changes_requested");

/**
 * The workflow as data: the code, the buttons on the detail
 * page, the docs and the tests all read this table. Admins hold every
 * coordinator right. A party with no row for an action is refused (403); a
 * party with rows, none of them from the current step, gets 409.
 */
export const RULES: readonly Rule[] = [
  { action: "advance", by: STAFF, from: ["received", ...REVIEW], to: "next" },
  {
    action: "request_changes",
    by: STAFF,
    from: REVIEW,
    to: "changes_requested",
    needs: ["comment"],
    shown: "submitter",
  },
  {
    action: "respond",
    by: ["submitter"],
    from: ["changes_requested"],
    to: "asker",
    needs: ["comment"],
    shown: "submitter",
  },
  { action: "approve", by: COORDINATORS, from: ["final_approval"], to: "second_approval" },
  { action: "reject", by: ["reviewer"], from: ["triage"], to: "rejected", needs: ["comment"] },
  { action: "reject", by: COORDINATORS, from: OPEN_STEPS, to: "rejected", needs: ["comment"] },
  // One filing per government (and follow-ups), also after another government has answered.
  { action: "file", by: COORDINATORS, from: ["approved", ...FILED], to: "filings", needs: ["filing"] },
  { action: "record_outcome", by: COORDINATORS, from: FILED, to: "filings", needs: ["filing_id", "outcome"] },
  { action: "reopen", by: COORDINATORS, from: ["rejected", "withdrawn"], to: "triage" },
  { action: "assign", by: STAFF, from: OPEN_STEPS, to: "same", needs: ["assignee"] },
  // An internal note: staff only, ever. What the submitter reads is a `message`.
  { action: "comment", by: STAFF, from: STEPS, to: "same", needs: ["comment"] },
  { action: "message", by: STAFF, from: STEPS, to: "same", needs: ["comment"], shown: "submitter" },
  { action: "message", by: ["submitter"], from: WRITABLE, to: "same", needs: ["comment"], shown: "submitter" },
  { action: "withdraw", by: ["submitter"], from: OPEN_STEPS, to: "withdrawn" },
  { action: "add_evidence", by: ["submitter"], from: LATE, to: "same", needs: ["comment"], shown: "submitter" },
  // A file that keeps its metadata reaches reviewers only when a coordinator lets it.
  { action: "release_file", by: COORDINATORS, from: STEPS, to: "same", needs: ["comment", "file"] },
  { action: "correct", by: COORDINATORS, from: STEPS, to: "same", needs: ["comment", "content"] },
  { action: "upgrade", by: ["system"], from: STEPS, to: "same", needs: ["content"] },
  { action: "overdue", by: ["system"], from: OPEN_STEPS, to: "same" },
  // Screening found the same target elsewhere (a list, another recommendation), and a reviewer agreed.
  { action: "link", by: STAFF, from: STEPS, to: "same", needs: ["comment", "match"] },
  // A filing waited past FOLLOW_UP_DAYS without an answer.
  { action: "follow_up", by: ["system"], from: FILED, to: "same", needs: ["filing_id"] },
  // Keeping what would be purged (domain/retention.ts): a hold says why; a release lets the clock run again.
  { action: "hold", by: COORDINATORS, from: STEPS, to: "same", needs: ["comment"] },
  { action: "release", by: COORDINATORS, from: STEPS, to: "same" },
  { action: "request_erasure", by: ["submitter"], from: ["withdrawn"], to: "same" },
  { action: "purge", by: ["system"], from: STEPS, to: "same" },
];

/** Where `advance` leads from a step (undefined where it does not apply). */
export function nextStep(step: Step): Step | undefined {
  return NEXT[step];
}

const NEXT: Partial<Record<Step, Step>> = {
  received: "triage",
  triage: "legal_review",
  legal_review: "evidence_review",
  evidence_review: "final_approval",
};

/** What the workflow remembers besides the step. */
export interface WorkflowState {
  step: Step;
  /** The step that asked for changes, where the submitter's answer returns. */
  returnStep: Step | null;
  /** Staff ids of the coordinators who approved in this round of final approval. */
  approvals: readonly string[];
  assignee: string | null;
  /** The filings with governments, oldest first, with their outcomes. */
  filings: readonly Filing[];
  /** A coordinator holds what the retention period would purge. */
  held: boolean;
  /** The submitter asked for their contact details and files to be erased. */
  erasureRequested: boolean;
  /** The sealed fields and original files are gone. */
  purged: boolean;
}

export interface ActionInput {
  action: Action;
  comment?: string | null;
  assignee?: string | null;
  /** A new filing (its id given by the caller). */
  filing?: Filing;
  /** The filing an outcome or a follow-up is about. */
  filing_id?: string;
  outcome?: FilingOutcome;
  /** The evidence file a per-file action is about. */
  file?: string;
  /** The hash of the corrected submission a correction stores. */
  content_sha256?: string;
  /** The screening candidate a link decides on (`list:<id>`, `recommendation:<id>:<index>`). */
  match?: string;
}

export type Refusal =
  | { ok: false; error: "forbidden"; message: string }
  | { ok: false; error: "invalid_transition"; step: Step; message: string }
  | { ok: false; error: "missing_field"; field: string; message: string };

export interface Accepted {
  ok: true;
  state: WorkflowState;
  /** What the event log records, besides seq, time and hashes. */
  event: { action: Action; from: Step; to: Step; comment: string | null; to_submitter: boolean };
}

function party(actor: Actor): Party {
  return actor.kind === "staff" ? actor.role : actor.kind;
}

/** What an action needs, whoever takes it (the rows of one action agree on this). */
export function needsOf(action: Action): readonly Need[] {
  return RULES.find((r) => r.action === action)?.needs ?? [];
}

/** Who reads an action's comment. */
export function shownTo(action: Action): Audience {
  return RULES.find((r) => r.action === action)?.shown ?? "staff";
}

/** Whether an action is about one evidence file (its button sits with the file, not with the others). */
export function perFile(action: Action): boolean {
  return needsOf(action).includes("file");
}

/** Whether an action has a form and a route of its own (a correction, a decision on screening, a filing, an outcome), not a button among the others. */
export function ownForm(action: Action): boolean {
  const needs = needsOf(action);
  return needs.includes("content") || needs.includes("match") || needs.includes("filing") || needs.includes("outcome");
}

/** The actions `actor` may take now, in table order (for the detail page's buttons). */
export function allowedActions(state: WorkflowState, actor: Actor, approvedBy?: string): Action[] {
  const who = party(actor);
  const actions = RULES.filter((r) => r.by.includes(who) && r.from.includes(state.step)).map((r) => r.action);
  const unique = [...new Set(actions)];
  // A coordinator who already approved this round cannot approve again.
  return unique.filter(
    (a) => !(a === "approve" && approvedBy && state.approvals.includes(approvedBy)) && !lifecycleRefusal(state, a),
  );
}

/**
 * The pure heart of the workflow: given the state and an action, either the
 * new state and the event to log, or why not. No clock, no storage.
 */
export function transition(state: WorkflowState, input: ActionInput, actor: Actor): Accepted | Refusal {
  const who = party(actor);
  const rows = RULES.filter((r) => r.action === input.action && r.by.includes(who));
  if (rows.length === 0) return { ok: false, error: "forbidden", message: `${who} may not ${input.action}` };
  const rule = rows.find((r) => r.from.includes(state.step));
  if (!rule) {
    return {
      ok: false,
      error: "invalid_transition",
      step: state.step,
      message: `${input.action} is not possible while the recommendation is in ${state.step}`,
    };
  }

  const refused = lifecycleRefusal(state, input.action);
  if (refused) return { ok: false, error: "invalid_transition", step: state.step, message: refused };

  const comment = input.comment?.trim() || null;
  // Storage would turn a lone surrogate into U+FFFD and break the event's hash: never logged.
  if (comment && !comment.isWellFormed()) {
    return { ok: false, error: "missing_field", field: "comment", message: "the comment is not valid Unicode text" };
  }
  for (const need of rule.needs ?? []) {
    const missing =
      (need === "comment" && !comment) ||
      (need === "filing" && !input.filing) ||
      (need === "filing_id" && !state.filings.some((f) => f.id === input.filing_id)) ||
      (need === "outcome" && !input.outcome) ||
      (need === "assignee" && input.assignee === undefined) ||
      (need === "file" && !input.file) ||
      (need === "content" && !input.content_sha256) ||
      (need === "match" && !input.match);
    if (missing) return { ok: false, error: "missing_field", field: need, message: `${input.action} needs ${need}` };
  }

  let next: WorkflowState = { ...state };
  let to: Step;
  switch (rule.to) {
    case "same":
      to = state.step;
      break;
    case "next":
      to = NEXT[state.step] ?? state.step;
      break;
    case "asker":
      to = state.returnStep ?? "triage";
      next.returnStep = null;
      break;
    case "filings":
      next.filings =
        input.action === "file" && input.filing
          ? [...state.filings, input.filing]
          : state.filings.map((f) => (f.id === input.filing_id ? { ...f, outcome: input.outcome ?? null } : f));
      to = stepOfFilings(next.filings);
      break;
    case "second_approval": {
      const id = actor.kind === "staff" ? actor.id : "";
      if (state.approvals.includes(id)) {
        return {
          ok: false,
          error: "invalid_transition",
          step: state.step,
          message: "the same coordinator cannot approve twice; a second coordinator must approve",
        };
      }
      next.approvals = [...state.approvals, id];
      to = next.approvals.length >= 2 ? "approved" : state.step;
      break;
    }
    default:
      to = rule.to;
  }
  // Only a request for changes sets where the answer returns: an action that
  // stays in changes_requested (late evidence, a comment) must not overwrite it.
  if (to === "changes_requested" && state.step !== "changes_requested") next.returnStep = state.step;
  if (input.action === "assign") next.assignee = input.assignee ?? null;
  if (input.action === "hold" || input.action === "release") next.held = input.action === "hold";
  if (input.action === "request_erasure") next.erasureRequested = true;
  if (input.action === "purge") next.purged = true;
  if (input.action === "follow_up") {
    next.filings = state.filings.map((f) => (f.id === input.filing_id ? { ...f, follow_up_due: true } : f));
  }
  // A new round of final approval starts from nothing.
  if (to !== state.step && state.step === "final_approval") next.approvals = [];
  if (to === "final_approval" && state.step !== "final_approval") next.approvals = [];
  next = { ...next, step: to };

  return {
    ok: true,
    state: next,
    event: {
      action: input.action,
      from: state.step,
      to,
      comment,
      to_submitter: rule.shown === "submitter" && comment !== null,
    },
  };
}

/** Why a hold, a release, an erasure or a purge cannot happen in this state (null: it can). */
function lifecycleRefusal(state: WorkflowState, action: Action): string | null {
  if (action === "hold" && state.held) return "the recommendation is already on hold";
  if (action === "release" && !state.held) return "the recommendation is not on hold";
  if ((action === "purge" || action === "request_erasure") && state.purged) {
    return "the contact details and original files are already purged";
  }
  if (action === "request_erasure" && state.erasureRequested) return "erasure was already asked for";
  return null;
}

/** The state a recommendation starts in. */
export function initialState(): WorkflowState {
  return {
    step: INITIAL_STEP,
    returnStep: null,
    approvals: [],
    assignee: null,
    filings: [],
    held: false,
    erasureRequested: false,
    purged: false,
  };
}
