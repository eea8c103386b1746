import type { Step } from "./workflow.ts";

/**
 * How long a recommendation keeps what could identify or endanger people:
 * its sealed fields (contact details, safety notes) and its original files.
 * Data that no longer exists cannot be seized or leaked, so once a
 * recommendation is closed they are purged after RETENTION_DAYS; the clean
 * copies of files, every hash and the event log stay, so the record still
 * verifies. A coordinator's hold stops the clock (a case still in court, a
 * government asking again); a submitter who withdrew can ask for erasure
 * sooner.
 */

/** Steps where a recommendation is closed: its retention clock runs. */
export const CLOSED_STEPS = [
  "designated",
  "not_designated",
  "rejected",
  "withdrawn",
] as const satisfies readonly Step[];

export const DEFAULT_RETENTION_DAYS = 365;

/** Days between a submitter's request for erasure and the erasure: time for a coordinator to hold it. */
export const ERASURE_DELAY_DAYS = 7;

const DAY_MS = 86_400_000;

export function isClosed(step: Step): boolean {
  return (CLOSED_STEPS as readonly Step[]).includes(step);
}

/** Reads `RETENTION_DAYS`: a whole number of days, 0 or more; anything else is the default. */
export function parseRetentionDays(value: string | undefined): number {
  const days = Number(value);
  return value?.trim() && Number.isInteger(days) && days >= 0 ? days : DEFAULT_RETENTION_DAYS;
}

/** What the purge depends on, as the recommendation's object keeps it. */
export interface Lifecycle {
  step: Step;
  /** When the current closed step was entered, or the hold on it released (the later); null while open. */
  closedAt: string | null;
  held: boolean;
  /** When a submitter's erasure is due; null when none was asked for. */
  eraseAt: string | null;
  purgedAt: string | null;
}

/** When the purge is due (it may be past), or null: nothing to purge, held, or never while open. */
export function purgeDueAt(l: Lifecycle, retentionDays: number): string | null {
  if (l.purgedAt || l.held) return null;
  const times = [
    l.closedAt && isClosed(l.step) ? Date.parse(l.closedAt) + retentionDays * DAY_MS : null,
    l.eraseAt ? Date.parse(l.eraseAt) : null,
  ].filter((t): t is number => t !== null);
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}

/** Why a due purge runs: the retention period ran out, or the submitter asked. */
export function purgeReason(l: Lifecycle, now: number): "erasure" | "retention" {
  return l.eraseAt && Date.parse(l.eraseAt) <= now ? "erasure" : "retention";
}

/** When an erasure asked for at `at` happens. */
export function erasureDueAt(at: string): string {
  return new Date(Date.parse(at) + ERASURE_DELAY_DAYS * DAY_MS).toISOString();
}

/**
 * The retention clock after a change of step or hold: it starts when a
 * closed step is entered and again when a hold is released (a released
 * recommendation gets its full period, not a purge the moment it is let go);
 * moving between closed steps or staying keeps it; reopening stops it.
 */
export function closedAtAfter(
  before: Pick<Lifecycle, "step" | "closedAt">,
  after: Step,
  action: string,
  at: string,
): string | null {
  if (!isClosed(after)) return null;
  if (action === "release" || !isClosed(before.step) || !before.closedAt) return at;
  return before.closedAt;
}
