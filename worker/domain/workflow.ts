/** The steps of CONTRACT §6, in the order a recommendation normally walks them. */
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

/** Steps where the review is still going on (actions like assign and reject apply). */
export const OPEN_STEPS: ReadonlySet<Step> = new Set([
  "received",
  "triage",
  "legal_review",
  "evidence_review",
  "final_approval",
  "changes_requested",
]);

export const ROLES = ["reviewer", "coordinator", "admin"] as const;
export type Role = (typeof ROLES)[number];
