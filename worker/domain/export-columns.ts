import { z } from "zod";
import { RecommendationInput, SENSITIVE_FIELDS, TargetV2 } from "./recommendation.ts";

/**
 * The columns of the CSV export, read off the recommendation schema itself
 * (domain/recommendation.ts), so a field added to the schema is a column without further
 * work. Lists are joined with ` | `; rows of a group list their values.
 */

/** What the export knows of a recommendation: its JSON shape plus server fields and files. */
export interface ExportRecord {
  [key: string]: unknown;
  files?: { name: string; size: number; sha256: string }[];
}

export const LIST_SEPARATOR = " | ";

const SERVER_COLUMNS = [
  "id",
  "reference",
  "language",
  "created_at",
  "updated_at",
  "step",
  "assignee",
  "overdue",
] as const;

function schemaColumns(): string[] {
  const columns: string[] = [];
  for (const [section, schema] of Object.entries(RecommendationInput.shape)) {
    if (section === "attachments" || section === "schema_version") continue;
    if (schema instanceof z.ZodObject) {
      for (const field of Object.keys(schema.shape)) columns.push(`${section}.${field}`);
    } else {
      columns.push(section);
    }
  }
  return columns;
}

/** The header row: server fields, then the schema's fields, then the files; sensitive ones only with `contact`. */
export function exportColumns(withContact: boolean): string[] {
  const sensitive = new Set<string>(SENSITIVE_FIELDS);
  return [...SERVER_COLUMNS, ...schemaColumns().filter((c) => withContact || !sensitive.has(c)), "files"];
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(cell).filter(Boolean).join(LIST_SEPARATOR);
  if (typeof value === "object") {
    return Object.values(value).map(cell).filter(Boolean).join(", ");
  }
  return String(value);
}

/** The targets by name (their details are rows of the targets export). */
function targetNames(targets: unknown): string {
  return ((targets as { name: string }[] | undefined) ?? []).map((t) => t.name).join(LIST_SEPARATOR);
}

/** One recommendation as the cells of `columns`. */
export function exportRow(record: ExportRecord, columns: readonly string[]): string[] {
  return columns.map((column) => {
    if (column === "files") {
      return (record.files ?? []).map((f) => `${f.name} (${f.size} bytes, sha256:${f.sha256})`).join(LIST_SEPARATOR);
    }
    if (column === "targets") return targetNames(record.targets);
    const value = column
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
    return cell(value);
  });
}

/** The header of the targets export: a row per target, keyed by its recommendation's reference. */
export function targetColumns(): string[] {
  return ["reference", "recommendation_id", "target", ...Object.keys(TargetV2.shape)];
}

/** The targets of one recommendation as rows of `targetColumns()` (numbered from 1, as people count). */
export function targetRows(record: ExportRecord): string[][] {
  const targets = (record.targets as Record<string, unknown>[] | undefined) ?? [];
  return targets.map((target, n) => [
    cell(record.reference),
    cell(record.id),
    String(n + 1),
    ...Object.keys(TargetV2.shape).map((field) => cell(target[field])),
  ]);
}
