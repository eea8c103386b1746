import { z } from "zod";
import { EvidenceItem, RecommendationInput, SENSITIVE_FIELDS, TargetV2 } from "./recommendation.ts";

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
  "link",
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

/**
 * Words for codes (`?labels=LOCALE`): given a column and one code in it, the
 * label a person reads, or undefined to keep the code. The routes make it
 * from the catalogues; without it, cells hold the codes programs expect.
 */
export type Labeller = (column: string, code: string | boolean) => string | undefined;

function labelled(value: unknown, column: string, label?: Labeller): unknown {
  if (!label) return value;
  if (Array.isArray(value)) return value.map((v) => labelled(v, column, label));
  if (typeof value === "string" || typeof value === "boolean") return label(column, value) ?? value;
  return value;
}

/** One recommendation as the cells of `columns`. */
export function exportRow(record: ExportRecord, columns: readonly string[], label?: Labeller): string[] {
  return columns.map((column) => {
    if (column === "files") {
      return (record.files ?? []).map((f) => `${f.name} (${f.size} bytes, sha256:${f.sha256})`).join(LIST_SEPARATOR);
    }
    if (column === "targets") return targetNames(record.targets);
    return cell(labelled(valueAt(record, column), column, label));
  });
}

/** Each field of an object schema as a column; a nested object's fields as `field.sub` columns. */
function fieldColumns(shape: Record<string, z.ZodType>): string[] {
  return Object.entries(shape).flatMap(([field, schema]) => {
    const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
    return inner instanceof z.ZodObject ? Object.keys(inner.shape).map((sub) => `${field}.${sub}`) : [field];
  });
}

/** The exports with a row per part of a recommendation (a target, an evidence item, a filing), keyed by its reference. */
export const PARTS = {
  targets: { path: ["targets"], columns: fieldColumns(TargetV2.shape), label: "target" },
  evidence: { path: ["evidence", "items"], columns: fieldColumns(EvidenceItem.shape), label: "item" },
  // A row per filing with a government, with its outcome (target indexes from 0, as the API gives them; empty: all).
  filings: {
    path: ["filings"],
    columns: [
      "programme",
      "filed_on",
      "channel",
      "addressee",
      "government_reference",
      "packet_sha256",
      "filed_by",
      "follow_up_due",
      "outcome.outcome",
      "outcome.on",
      "outcome.targets",
      "outcome.list_reference",
      "outcome.source_url",
      "outcome.by",
      "note",
    ],
    label: "filing",
  },
} as const;
export type Part = keyof typeof PARTS;

/** The header of a part's export: the reference, the recommendation's id, the part's number, then its fields. */
export function partColumns(part: Part): string[] {
  return ["reference", "recommendation_id", PARTS[part].label, ...PARTS[part].columns];
}

/** The parts of one recommendation as rows of `partColumns(part)` (numbered from 1, as people count). */
export function partRows(record: ExportRecord, part: Part, label?: Labeller): string[][] {
  const spec = PARTS[part];
  const items = (spec.path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], record) ??
    []) as Record<string, unknown>[];
  return items.map((item, n) => [
    cell(record.reference),
    cell(record.id),
    String(n + 1),
    ...spec.columns.map((column) => cell(labelled(valueAt(item, column), column, label))),
  ]);
}

function valueAt(node: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], node);
}
