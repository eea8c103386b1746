import { type DataKey, keyById } from "../security/crypto.ts";
import { fromBase64, randomBytes, toBase64Url } from "../security/encoding.ts";

/**
 * Files at rest: AES-256-GCM in records of 64 KiB, so a file of any size is
 * encrypted and decrypted as a stream. Each record has its own nonce (the
 * file's random base with the record number mixed in) and authenticates its
 * number and whether it is the last one, so records cannot be reordered,
 * dropped or cut off unnoticed. What is needed to decrypt (besides the key)
 * travels in the R2 object's custom metadata.
 */
export const RECORD = 64 * 1024;
const TAG = 16;

/** R2 multipart parts must be equal (≥ 5 MiB) but the last: 80 records of plaintext each. */
export const PART_PLAIN = 80 * RECORD;

export interface SealMeta extends Record<string, string> {
  enc: "aes-gcm-records-v1";
  kid: string;
  nonce: string;
  size: string;
}

export function newSeal(key: DataKey, size: number): { meta: SealMeta; nonceBase: Uint8Array } {
  const nonceBase = randomBytes(12);
  return {
    meta: { enc: "aes-gcm-records-v1", kid: key.id, nonce: toBase64Url(nonceBase), size: String(size) },
    nonceBase,
  };
}

export function sealedSize(plainSize: number): number {
  return plainSize + Math.ceil(plainSize / RECORD) * TAG;
}

function recordCount(size: number): number {
  return Math.max(1, Math.ceil(size / RECORD));
}

function nonce(base: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const n = new Uint8Array(12);
  n.set(base);
  const view = new DataView(n.buffer);
  view.setUint32(8, view.getUint32(8) ^ index);
  return n;
}

function aad(kid: string, index: number, last: boolean): Uint8Array {
  return new TextEncoder().encode(`${kid}:${index}:${last ? 1 : 0}`);
}

/**
 * Encrypts whole records of a file of `size` bytes, starting at record
 * `firstIndex`. `plain` must be a whole number of records, unless it ends the file.
 */
export async function sealRecords(
  key: DataKey,
  nonceBase: Uint8Array,
  size: number,
  firstIndex: number,
  plain: Uint8Array,
): Promise<Uint8Array> {
  const last = recordCount(size) - 1;
  const count = Math.max(1, Math.ceil(plain.length / RECORD));
  const out = new Uint8Array(plain.length + count * TAG);
  for (let i = 0; i < count; i++) {
    const index = firstIndex + i;
    const record = plain.subarray(i * RECORD, (i + 1) * RECORD);
    const cipher = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce(nonceBase, index), additionalData: aad(key.id, index, index === last) },
      key.key,
      record,
    );
    out.set(new Uint8Array(cipher), i * (RECORD + TAG));
  }
  return out;
}

/** A whole small file, sealed in one go (form uploads, clean copies). */
export async function sealBytes(key: DataKey, plain: Uint8Array): Promise<{ data: Uint8Array; meta: SealMeta }> {
  const { meta, nonceBase } = newSeal(key, plain.length);
  return { data: await sealRecords(key, nonceBase, plain.length, 0, plain), meta };
}

/** A stream that decrypts a sealed object record by record; it fails on any tampering or truncation. */
export function openStream(
  keys: DataKey | readonly DataKey[],
  meta: Record<string, string>,
): TransformStream<Uint8Array, Uint8Array> {
  if (meta.enc !== "aes-gcm-records-v1") throw new Error("not a sealed file");
  const key = keyById(keys, meta.kid);
  const base = fromBase64(meta.nonce ?? "");
  const size = Number(meta.size);
  const last = recordCount(size) - 1;
  let index = 0;
  let pending = new Uint8Array(0);
  const open = async (record: Uint8Array) => {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce(base, index), additionalData: aad(key.id, index, index === last) },
      key.key,
      record,
    );
    index++;
    return new Uint8Array(plain);
  };
  return new TransformStream({
    async transform(chunk, controller) {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let at = 0;
      while (joined.length - at >= RECORD + TAG && index < last) {
        controller.enqueue(await open(joined.subarray(at, at + RECORD + TAG)));
        at += RECORD + TAG;
      }
      pending = joined.slice(at);
    },
    async flush(controller) {
      if (index !== last) throw new Error("sealed file is truncated");
      controller.enqueue(await open(pending));
    },
  });
}

/** Reads a sealed R2 object back whole (small files: images to strip, tests). */
export async function openBytes(keys: DataKey | readonly DataKey[], object: R2ObjectBody): Promise<Uint8Array> {
  const stream = object.body.pipeThrough(openStream(keys, object.customMetadata ?? {}));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
