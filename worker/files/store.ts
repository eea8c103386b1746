import { insertAttachment } from "../db/attachments.ts";
import { toHex } from "../domain/encoding.ts";
import { FORM_FILE_MAX } from "../domain/files.ts";
import { dataKey, dataKeys } from "../security/keys.ts";
import { newUploadId } from "../security/upload-ids.ts";
import { openStream, sealBytes } from "./sealed.ts";
import { type Sniffed, safeFilename, sniff } from "./sniff.ts";
import { type Finding, stripMetadata, strippable } from "./strip.ts";
import { inspectOfficeZip, officeKind, ZIP_TAIL_BYTES } from "./zip.ts";

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

interface Judged {
  clean: Uint8Array | null;
  found: Finding[];
  cleaned: boolean;
}

/**
 * What a file's content says beyond its first bytes. `whole` is the file when
 * it was read whole (null for an image too large to strip, which then stays
 * not cleaned); `tail` its last bytes, where a ZIP keeps its directory.
 */
function judge(sniffed: Sniffed, whole: Uint8Array | null, tail: Uint8Array, size: number): Judged | ContentRefusal {
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

/** Writes the metadata-free copy (sealed too), when there is one. */
async function storeCleanCopy(env: Env, id: string, clean: Uint8Array | null): Promise<string | null> {
  if (!clean) return null;
  const sealed = await sealBytes(await dataKey(env), cleanKey(id), clean);
  await env.FILES.put(cleanKey(id), sealed.data, { customMetadata: sealed.meta });
  return cleanKey(id);
}

async function record(env: Env, file: StoredFile, clean: string | null): Promise<StoredFile> {
  await insertAttachment(env.DB, {
    id: file.id,
    filename: file.name,
    contentType: file.type,
    size: file.size,
    sha256: file.sha256,
    originalKey: originalKey(file.id),
    cleanKey: clean,
    metadataFound: file.found.join(",") || null,
    cleaned: file.cleaned,
    createdAt: new Date().toISOString(),
  });
  return file;
}

/** A file sent with the form (no JavaScript), read and judged in memory. */
interface FormFile {
  file: File;
  plain: Uint8Array;
  sniffed: Sniffed;
  judged: Judged;
}

async function readFormFile(file: File): Promise<FormFile | "type" | "size" | ContentRefusal> {
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

/**
 * Stores a form file that checkFormFile passed (read and judged again, one
 * file at a time, to keep memory flat): hashed, sealed, with its clean copy
 * written before the original, so no original is ever left without it.
 */
export async function storeFormFile(env: Env, file: File): Promise<StoredFile> {
  const read = await readFormFile(file);
  if (typeof read === "string") throw new Error(`a checked file was refused on storing: ${read}`);
  const { plain, sniffed, judged } = read;
  const id = await newUploadId(env);
  const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", plain)));
  const clean = await storeCleanCopy(env, id, judged.clean);
  const sealed = await sealBytes(await dataKey(env), originalKey(id), plain);
  await env.FILES.put(originalKey(id), sealed.data, { customMetadata: sealed.meta });
  const name = safeFilename(file.name, sniffed.type);
  return record(env, { id, name, type: sniffed.type, size: plain.length, sha256, ...judged }, clean);
}

/** A pass-through that keeps the last `keep` bytes that went through it. */
function tailOf(keep: number) {
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

/**
 * A resumable upload, now complete in R2 (sealed): its SHA-256 from one
 * streaming pass over the decrypted bytes, which also keeps an image whole
 * (to strip it) or the end of a ZIP (to check its directory); then judged.
 */
export async function finishUpload(
  env: Env,
  id: string,
  name: string,
  sniffed: Sniffed,
): Promise<StoredFile | ContentRefusal> {
  const object = await env.FILES.get(originalKey(id));
  if (!object) throw new Error(`upload ${id} has no stored original`);
  const size = Number(object.customMetadata?.size);
  const tail = tailOf(ZIP_TAIL_BYTES);
  const plainStream = object.body.pipeThrough(openStream(await dataKeys(env), object.customMetadata ?? {}, object.key));
  let whole: Uint8Array | null = null;
  let sha256: string;
  if (sniffed.image && size <= IMAGE_STRIP_MAX) {
    // An image to strip is read whole anyway; hash those bytes.
    whole = new Uint8Array(await new Response(plainStream).arrayBuffer());
    sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", whole)));
  } else {
    const digest = new crypto.DigestStream("SHA-256");
    await plainStream.pipeThrough(tail.stream).pipeTo(digest);
    sha256 = toHex(new Uint8Array(await digest.digest));
  }
  const judged = judge(sniffed, whole, whole ?? tail.bytes(), size);
  if (typeof judged === "string") return judged;
  const clean = await storeCleanCopy(env, id, judged.clean);
  return record(
    env,
    { id, name: safeFilename(name, sniffed.type), type: sniffed.type, size, sha256, ...judged },
    clean,
  );
}
