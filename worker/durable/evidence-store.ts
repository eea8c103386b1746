import { insertAttachment } from "../db/attachments.ts";
import { toHex } from "../domain/encoding.ts";
import {
  type ContentRefusal,
  cleanKey,
  IMAGE_STRIP_MAX,
  judge,
  originalKey,
  readFormFile,
  type StoredFile,
  tailOf,
} from "../files/evidence.ts";
import { openStream, sealBytes } from "../files/sealed.ts";
import { type Sniffed, safeFilename } from "../files/sniff.ts";
import { ZIP_TAIL_BYTES } from "../files/zip.ts";
import { dataKey, dataKeys } from "../security/keys.ts";
import { newUploadId } from "../security/upload-ids.ts";

/**
 * Storing judged evidence files: the original and its clean copy sealed in
 * R2, and their row in D1. Used by the Upload object when a resumable upload
 * completes, and by the form's service for files sent without JavaScript.
 */

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
