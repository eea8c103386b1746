import type { z } from "zod";

/** One problem with one field: its dotted path (`target.aliases[2]`) and a catalogue key. */
export interface FieldProblem {
  path: string;
  key: MessageKey;
  params: Record<string, number>;
}

export type MessageKey =
  | "required"
  | "invalid"
  | "too_short"
  | "too_long"
  | "too_few"
  | "too_many"
  | "invalid_email"
  | "invalid_url"
  | "invalid_date"
  | "invalid_choice"
  | "end_before_start"
  | "malformed_text";

const CUSTOM_KEYS: ReadonlySet<string> = new Set(["invalid_date", "end_before_start", "malformed_text"]);

/** `["target", "aliases", 2]` → `target.aliases[2]`, the name the form and the API use. */
export function pathName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => {
    if (typeof part === "number") return `${name}[${part}]`;
    return name ? `${name}.${String(part)}` : String(part);
  }, "");
}

function keyOf(issue: z.core.$ZodIssue): Pick<FieldProblem, "key" | "params"> {
  const blank = issue.input === undefined || issue.input === null || issue.input === "";
  switch (issue.code) {
    case "invalid_type":
      return { key: blank ? "required" : "invalid", params: {} };
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "array") return { key: "too_few", params: { min } };
      return { key: min <= 1 || blank ? "required" : "too_short", params: { min } };
    }
    case "too_big": {
      const max = Number(issue.maximum);
      return { key: issue.origin === "array" ? "too_many" : "too_long", params: { max } };
    }
    case "invalid_format":
      if (blank) return { key: "required", params: {} };
      if (issue.format === "email") return { key: "invalid_email", params: {} };
      if (issue.format === "url") return { key: "invalid_url", params: {} };
      return { key: "invalid", params: {} };
    case "invalid_value":
      return { key: blank ? "required" : "invalid_choice", params: {} };
    case "custom":
      // Malformed text is never blank (zod reports the input only when asked to, so do not ask).
      if (issue.message === "malformed_text") return { key: "malformed_text", params: {} };
      if (blank) return { key: "required", params: {} };
      return { key: CUSTOM_KEYS.has(issue.message) ? (issue.message as MessageKey) : "invalid", params: {} };
    default:
      return { key: "invalid", params: {} };
  }
}

/** Zod's issues as field problems, one per field (the first problem found wins). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const path = pathName(issue.path);
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push({ path, ...keyOf(issue) });
  }
  return problems;
}
