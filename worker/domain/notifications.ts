import type { EventBody } from "./event-log.ts";
import { type Action, type Role, RULES, type Step } from "./workflow.ts";

/**
 * What staff are told of: a recommendation new in a step they work, the
 * submitter writing, a deadline or a filing's follow-up passing, a
 * government's answer suggested by the designation watch, something
 * assigned to them, a submitter asking for erasure (coordinators, who alone
 * can hold it within its 7 days). `to_submitter`: staff wrote to the submitter, who is
 * told (if they asked to be) that a message awaits them, and nothing more.
 */
export const NOTICE_KINDS = [
  "new",
  "submitter_wrote",
  "overdue",
  "follow_up",
  "suggestion",
  "assigned",
  "to_submitter",
  "erasure_requested",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One thing to tell, as it travels on the notifications queue (no names, no words: ids and steps). */
export interface Notice {
  kind: NoticeKind;
  recId: string;
  /** The event it is about; for a suggestion (not an event of the log), the import run's time in seconds. */
  seq: number;
  step: Step;
  assignee: string | null;
  /** The staff member whose action it was (never told of it themselves); null for the submitter or the system. */
  actor: string | null;
  at: string;
}

/** The event of the log a notice may come from, as the object has it after committing. */
export type NoticeSource = Pick<EventBody, "seq" | "at" | "actor" | "action" | "from" | "to" | "to_submitter">;

/** Actions that move a recommendation into a step where someone must now act. */
const MOVES: ReadonlySet<string> = new Set(["submit", "advance", "respond", "reopen", "approve"]);
/** The submitter's own words or files. */
const WRITES: ReadonlySet<string> = new Set(["message", "respond", "add_evidence"]);

/**
 * What an event tells, or nothing. A staff member's own action tells no one
 * else but the submitter (their message) or the new assignee; the log
 * stays the record of everything, the notices are only for what waits on someone.
 */
export function noticesOf(
  recId: string,
  event: NoticeSource,
  state: { step: Step; assignee: string | null },
  actor: string | null,
): Notice[] {
  const base = { recId, seq: event.seq, step: state.step, assignee: state.assignee, actor, at: event.at };
  const notices: Notice[] = [];
  if (event.actor === "submitter" && WRITES.has(event.action)) notices.push({ ...base, kind: "submitter_wrote" });
  if (MOVES.has(event.action) && event.to !== event.from && actsIn(state.step).length > 0) {
    notices.push({ ...base, kind: "new" });
  }
  if (event.action === "overdue") notices.push({ ...base, kind: "overdue" });
  if (event.action === "follow_up") notices.push({ ...base, kind: "follow_up" });
  if (event.action === "assign" && state.assignee) notices.push({ ...base, kind: "assigned" });
  if (event.action === "request_erasure") notices.push({ ...base, kind: "erasure_requested" });
  if (event.actor !== "submitter" && event.to_submitter) notices.push({ ...base, kind: "to_submitter" });
  return notices;
}

/** The actions that do the work of a step (not words, assignment or corrections, which any step takes). */
const WORK: ReadonlySet<Action> = new Set([
  "advance",
  "request_changes",
  "approve",
  "file",
  "record_outcome",
  "reopen",
]);

/** The roles whose work a step waits on (admins run the system: they are told only of what is theirs). */
export function actsIn(step: Step): Role[] {
  const roles = RULES.filter((r) => WORK.has(r.action) && r.from.includes(step)).flatMap((r) => r.by);
  return (["reviewer", "coordinator"] as const).filter((role) => roles.includes(role));
}

/** What filings and their answers wait on, and an erasure to hold or let happen: coordinators. */
const COORDINATION: ReadonlySet<NoticeKind> = new Set(["follow_up", "suggestion", "erasure_requested"]);
/** What only a coordinator can act on, whoever the recommendation is assigned to. */
const COORDINATORS_ONLY: ReadonlySet<NoticeKind> = new Set(["erasure_requested"]);

/**
 * Who is told, of the active staff: the assignee when there is one (it is
 * theirs), else everyone whose role works that step; filings' follow-ups and
 * suggested answers go to coordinators, an erasure asked for to coordinators
 * only. The actor is never told of their own action.
 */
export function recipientsOf(notice: Notice, staff: readonly { id: string; role: Role }[]): string[] {
  if (notice.kind === "to_submitter") return [];
  const active = staff.filter((s) => s.id !== notice.actor);
  if (notice.kind === "assigned") return active.filter((s) => s.id === notice.assignee).map((s) => s.id);
  if (notice.assignee && !COORDINATORS_ONLY.has(notice.kind) && active.some((s) => s.id === notice.assignee)) {
    return [notice.assignee];
  }
  const roles: readonly Role[] = COORDINATION.has(notice.kind) ? ["coordinator"] : actsIn(notice.step);
  return active.filter((s) => roles.includes(s.role)).map((s) => s.id);
}

/** Minutes between two mails to one person, from the configuration (default 30, at least 1). */
export function parseIntervalMinutes(value: string | undefined): number {
  const minutes = Number(value);
  return Number.isFinite(minutes) && minutes >= 1 ? Math.floor(minutes) : 30;
}

/** An inbox item as the inbox shows it. */
export interface InboxItem {
  recId: string;
  reference: string;
  kind: NoticeKind;
  at: string;
}
