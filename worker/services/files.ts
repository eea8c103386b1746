import { type AttachmentRow, findUnattached, listAttachments } from "../db/attachments.ts";
import { type StoredFile, storeFormFile } from "../files/store.ts";
import type { Finding } from "../files/strip.ts";

/** What the submitter is shown of a file (id, name, size, sha256), and what metadata it carried. */
export interface FileSummary {
  id: string;
  name: string;
  size: number;
  sha256: string;
  found: Finding[];
}

export function summarize(row: AttachmentRow | StoredFile): FileSummary {
  if ("filename" in row) {
    const found = (row.metadataFound?.split(",").filter(Boolean) ?? []) as Finding[];
    return { id: row.id, name: row.filename, size: row.size, sha256: row.sha256, found };
  }
  return { id: row.id, name: row.name, size: row.size, sha256: row.sha256, found: row.found };
}

export async function filesOf(env: Env, recSeq: number): Promise<FileSummary[]> {
  return (await listAttachments(env.DB, recSeq)).map(summarize);
}

export type FormFilesResult =
  | { ok: true; files: StoredFile[] }
  | { ok: false; status: 413 | 415; problem: "size" | "type"; name: string };

/** Files chosen in a plain file input (no JavaScript), stored one by one; the first refusal stops. */
export async function receiveFormFiles(env: Env, entries: (string | File)[]): Promise<FormFilesResult> {
  const files: StoredFile[] = [];
  for (const entry of entries) {
    if (typeof entry === "string" || entry.size === 0) continue;
    const stored = await storeFormFile(env, entry);
    if (stored === "size") return { ok: false, status: 413, problem: "size", name: entry.name };
    if (stored === "type") return { ok: false, status: 415, problem: "type", name: entry.name };
    files.push(stored);
  }
  return { ok: true, files };
}

/** Finished, unattached uploads by id, in the order given (for a form shown again). */
export async function pendingFiles(env: Env, ids: readonly string[]): Promise<FileSummary[]> {
  const rows = await findUnattached(env.DB, ids);
  return ids.flatMap((id) => rows.filter((r) => r.id === id).map(summarize));
}
