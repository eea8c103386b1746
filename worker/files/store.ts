import { insertAttachment } from "../db/attachments.ts";
import { toHex } from "../security/encoding.ts";
import { newUploadId } from "../security/upload-ids.ts";
import { dataKey, dataKeys } from "../services/data-key.ts";
import { openStream, sealBytes } from "./sealed.ts";
import { type Sniffed, safeFilename, sniff } from "./sniff.ts";
import { type Finding, stripMetadata } from "./strip.ts";

/** Uploads sent with the form itself (no JavaScript): at most this many bytes each. */
export const FORM_FILE_MAX = 25 * 1024 * 1024;
/** Images up to this size get a metadata-free copy (they are held in memory to strip). */
export const IMAGE_STRIP_MAX = 64 * 1024 * 1024;

export const originalKey = (id: string) => `originals/${id}`;
export const cleanKey = (id: string) => `clean/${id}`;

export interface StoredFile {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  found: Finding[];
}

/** Writes the metadata-free copy of an image (sealed too) and reports what the original carried. */
async function storeCleanCopy(env: Env, id: string, sniffed: Sniffed, plain: Uint8Array) {
  const stripped = sniffed.image ? stripMetadata(plain, sniffed.type) : null;
  if (!stripped) return { clean: null, found: [] as Finding[] };
  const sealed = await sealBytes(await dataKey(env), stripped.bytes);
  await env.FILES.put(cleanKey(id), sealed.data, { customMetadata: sealed.meta });
  return { clean: cleanKey(id), found: stripped.found };
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
    createdAt: new Date().toISOString(),
  });
  return file;
}

/**
 * A file sent with the form (≤ 25 MiB, so it is held in memory): judged by
 * its bytes, hashed, stored sealed, and for images also as a clean copy.
 */
export async function storeFormFile(env: Env, file: File): Promise<StoredFile | "type" | "size"> {
  if (file.size > FORM_FILE_MAX) return "size";
  const plain = new Uint8Array(await file.arrayBuffer());
  const sniffed = sniff(plain.subarray(0, 64 * 1024), { name: file.name, type: file.type });
  if (!sniffed || plain.length === 0) return "type";
  const id = await newUploadId(env);
  const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", plain)));
  const sealed = await sealBytes(await dataKey(env), plain);
  await env.FILES.put(originalKey(id), sealed.data, { customMetadata: sealed.meta });
  const { clean, found } = await storeCleanCopy(env, id, sniffed, plain);
  return record(
    env,
    { id, name: safeFilename(file.name), type: sniffed.type, size: plain.length, sha256, found },
    clean,
  );
}

/**
 * A resumable upload, now complete in R2 (sealed): its SHA-256 from one
 * streaming pass over the decrypted bytes, and for images a clean copy.
 */
export async function finishUpload(env: Env, id: string, name: string, sniffed: Sniffed): Promise<StoredFile> {
  const object = await env.FILES.get(originalKey(id));
  if (!object) throw new Error(`upload ${id} has no stored original`);
  const size = Number(object.customMetadata?.size);
  const plainStream = object.body.pipeThrough(openStream(await dataKeys(env), object.customMetadata ?? {}));
  let image: Uint8Array | null = null;
  let sha256: string;
  if (sniffed.image && size <= IMAGE_STRIP_MAX) {
    // An image to strip is read whole anyway; hash those bytes.
    image = new Uint8Array(await new Response(plainStream).arrayBuffer());
    sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", image)));
  } else {
    const digest = new crypto.DigestStream("SHA-256");
    await plainStream.pipeTo(digest);
    sha256 = toHex(new Uint8Array(await digest.digest));
  }
  const { clean, found } = image ? await storeCleanCopy(env, id, sniffed, image) : { clean: null, found: [] };
  return record(env, { id, name: safeFilename(name), type: sniffed.type, size, sha256, found }, clean);
}
