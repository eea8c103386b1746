import { OPEN_STEPS, RULES, STEPS } from "./workflow.ts";

const TARGETS: Record<string, string> = {
  same: "the same step",
  next: "the next step",
  asker: "the step that asked",
  second_approval: "approved, once two different people approved",
  filings: "filed while a government has still to answer; then designated if any designated, else not_designated",
};

const SHOWN: Record<string, string> = { submitter: "yes", staff: "no" };

function steps(from: readonly string[]): string {
  if (from.length === STEPS.length) return "any step";
  if (from.length === OPEN_STEPS.length && OPEN_STEPS.every((s) => from.includes(s))) return "any open step";
  return from.join(", ");
}

/**
 * The workflow table as the README shows it, written from RULES itself: one
 * row per rule. A unit test fails when the README's copy drifts from this
 * (`npm run docs` writes it again).
 */
export function workflowTable(): string {
  const rows = RULES.map((rule) => {
    const needs = rule.needs?.length ? ` (${rule.needs.join(", ")})` : "";
    return `| \`${rule.action}\`${needs} | ${rule.by.join(", ")} | ${steps(rule.from)} | ${TARGETS[rule.to] ?? rule.to} | ${SHOWN[rule.shown ?? "staff"]} |`;
  });
  return [
    "| action (needs) | who | from | to | the submitter sees its comment |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The markers around the generated table in the README. */
export const TABLE_START = "<!-- workflow:start -->";
export const TABLE_END = "<!-- workflow:end -->";
