import { STEPS, type Step } from "./workflow.ts";

/** Days allowed in each step; a step without an entry has no deadline (e.g. filed, closed steps). */
export type DeadlineDays = Partial<Record<Step, number>>;

/**
 * Reads the `DEADLINE_DAYS` setting (JSON, e.g. `{"triage":5}`); anything that
 * is not a known step with a positive number of days is left out, so a typo
 * cannot stop the workflow, only its reminder.
 */
export function parseDeadlineDays(json: string | undefined): DeadlineDays {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? "{}");
  } catch {
    return {};
  }
  if (!raw || typeof raw !== "object") return {};
  const days: DeadlineDays = {};
  for (const [step, value] of Object.entries(raw)) {
    if ((STEPS as readonly string[]).includes(step) && typeof value === "number" && value > 0) {
      days[step as Step] = value;
    }
  }
  return days;
}

/** When a recommendation that entered `step` at `enteredAt` becomes overdue, or null. */
export function dueAt(step: Step, enteredAt: string, days: DeadlineDays): string | null {
  const d = days[step];
  return d ? new Date(Date.parse(enteredAt) + d * 86_400_000).toISOString() : null;
}
