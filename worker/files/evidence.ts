import { FORM_FILE_MAX } from "../domain/files.ts";
import { type Sniffed, sniff } from "./sniff.ts";
import { type Finding, stripMetadata, strippable } from "./strip.ts";
import { inspectOfficeZip, officeKind, ZIP_TAIL_BYTES } from "./zip.ts";

/**
 * Evidence files, judged: what a file is and whether it may be taken, and
 * the clean copy reviewers get. Pure: storing them is durable/evidence-store.ts.
 */

/**
 * Images up to this size get a metadata-free copy. They are held in memory to
 * strip, with their copy and its sealed form: three times this must fit the
 * 128 MB a Worker has. Larger images are not cleaned.
 */
export const IMAGE_STRIP_MAX = 24 * 1024 * 1024;

export const originalKey = (id: string) => `originals/${id}`;
export const cleanKey = (id: string) => `clean/${id}`;

export interface StoredFile {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  found: Finding[];
  /** Whether reviewers get it without hidden metadata (see the attachments table). */
  cleaned: boolean;
}

/**
 * Why a file was not taken, beyond its size and its first bytes: an image
 * that does not parse ("damaged": no honest clean copy can be made of it), or
 * an Office file with macros, programs, embedded objects or a zip bomb in it
 * ("unsafe": it would harm the reviewer who opens it).
 */
export type ContentRefusal = "damaged" | "unsafe";

export interface Judged {
  clean: Uint8Array | null;
  found: Finding[];
  cleaned: boolean;
}

/**
 * What a file's content says beyond its first bytes. `whole` is the file when
 * it was read whole (null for an image too large to strip, which then stays
 * not cleaned); `tail` its last bytes, where a ZIP keeps its directory.
 */
export function judge(
  sniffed: Sniffed,
  whole: Uint8Array | null,
  tail: Uint8Array,
  size: number,
): Judged | ContentRefusal {
  const kind = officeKind(sniffed.type);
  if (kind) return inspectOfficeZip(tail, size, kind) ? "unsafe" : { clean: null, found: [], cleaned: false };
  if (strippable(sniffed.type)) {
    if (!whole) return { clean: null, found: [], cleaned: false };
    const stripped = stripMetadata(whole, sniffed.type);
    if (!stripped.cleaned) return "damaged";
    return { clean: stripped.bytes, found: stripped.found, cleaned: true };
  }
  // Text has no place to hide metadata; everything else (PDF, HEIC, video, audio) keeps its own.
  return { clean: null, found: [], cleaned: sniffed.type === "text/plain" || sniffed.type === "text/csv" };
}

/** A pass-through that keeps the last `keep` bytes that went through it. */
export function tailOf(keep: number) {
  const chunks: Uint8Array[] = [];
  let held = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      chunks.push(chunk);
      held += chunk.length;
      while (chunks.length > 1 && held - (chunks[0]?.length ?? 0) >= keep) held -= chunks.shift()?.length ?? 0;
      controller.enqueue(chunk);
    },
  });
  const bytes = () => {
    const all = new Uint8Array(held);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all.subarray(Math.max(0, held - keep));
  };
  return { stream, bytes };
}

/** A file sent with the form (no JavaScript), read and judged in memory. */
export interface FormFile {
  file: File;
  plain: Uint8Array;
  sniffed: Sniffed;
  judged: Judged;
}

export async function readFormFile(file: File): Promise<FormFile | "type" | "size" | ContentRefusal> {
  if (file.size > FORM_FILE_MAX) return "size";
  const plain = new Uint8Array(await file.arrayBuffer());
  const sniffed = sniff(plain.subarray(0, 64 * 1024), { name: file.name, type: file.type });
  if (!sniffed || plain.length === 0) return "type";
  const judged = judge(sniffed, plain, plain.subarray(-ZIP_TAIL_BYTES), plain.length);
  if (typeof judged === "string") return judged;
  return { file, plain, sniffed, judged };
}

/**
 * Judges a file sent with the form (≤ 25 MiB, so it is held in memory),
 * storing nothing: a form is taken in whole or not at all. Only the verdict
 * is kept, so judging every file of a form holds one file at a time.
 */
export async function checkFormFile(file: File): Promise<"type" | "size" | ContentRefusal | null> {
  const read = await readFormFile(file);
  return typeof read === "string" ? read : null;
}
