import { type AttachmentRow, findUnattached, listAttachments } from "../db/attachments.ts";
import { storeFormFile } from "../durable/evidence-store.ts";
import { type ContentRefusal, checkFormFile, type StoredFile } from "../files/evidence.ts";
import type { Finding } from "../files/strip.ts";

/**
 * What the submitter is shown of a file (id, name, size, sha256), what
 * metadata a clean copy left out, and whether reviewers get it cleaned at all.
 */
export interface FileSummary {
  id: string;
  name: string;
  size: number;
  sha256: string;
  found: Finding[];
  cleaned: boolean;
}

export function summarize(row: AttachmentRow | StoredFile): FileSummary {
  const { id, size, sha256, cleaned } = row;
  if ("filename" in row) {
    const found = (row.metadataFound?.split(",").filter(Boolean) ?? []) as Finding[];
    return { id, name: row.filename, size, sha256, found, cleaned };
  }
  return { id, name: row.name, size, sha256, found: row.found, cleaned };
}

export async function filesOf(env: Env, recSeq: number): Promise<FileSummary[]> {
  return (await listAttachments(env.DB, recSeq)).map(summarize);
}

/** Why a file was refused: over the size limit, not an allowed type, a damaged image, an unsafe document. */
export type FileProblem = "size" | "type" | ContentRefusal;

export type FormFilesResult = { ok: true; files: StoredFile[] } | { ok: false; problem: FileProblem; name: string };

/**
 * Files chosen in a plain file input (no JavaScript): every one is read and
 * judged first, and only if all pass are they stored, so a refused file
 * leaves none of the others behind.
 */
export async function receiveFormFiles(env: Env, entries: readonly File[]): Promise<FormFilesResult> {
  for (const entry of entries) {
    const problem = await checkFormFile(entry);
    if (problem) return { ok: false, problem, name: entry.name };
  }
  const files: StoredFile[] = [];
  for (const entry of entries) files.push(await storeFormFile(env, entry));
  return { ok: true, files };
}

/** Finished, unattached uploads by id, in the order given (for a form shown again). */
export async function pendingFiles(env: Env, ids: readonly string[]): Promise<FileSummary[]> {
  const rows = await findUnattached(env.DB, ids);
  return ids.flatMap((id) => rows.filter((r) => r.id === id).map(summarize));
}
