/**
 * The review queue's columns a reviewer may sort by, and which way each
 * sorts first: what needs attention on top (newest activity, highest risk,
 * oldest, soonest due, latest reply).
 */
export const QUEUE_SORTS = {
  updated: "desc",
  reference: "asc",
  target: "asc",
  risk: "desc",
  step: "asc",
  age: "desc",
  due: "asc",
  replied: "desc",
  assignee: "asc",
} as const satisfies Record<string, "asc" | "desc">;
/** Rows on one page of the queue. */
export const QUEUE_PAGE_SIZE = 50;

export type QueueSort = keyof typeof QUEUE_SORTS;
export type SortDirection = "asc" | "desc";

export function isQueueSort(value: string | undefined): value is QueueSort {
  return value !== undefined && Object.hasOwn(QUEUE_SORTS, value);
}

/** Whole days from `since` to `now`: a recommendation's age in the queue. */
export function daysSince(since: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / 86_400_000));
}
