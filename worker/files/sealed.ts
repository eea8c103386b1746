import { fromBase64, randomBytes, toBase64Url } from "../domain/encoding.ts";
import { type DataKey, keyById } from "../security/crypto.ts";

/**
 * Files at rest: AES-256-GCM in records of 64 KiB, so a file of any size is
 * encrypted and decrypted as a stream. Each record has its own nonce (the
 * file's random base with the record number mixed in) and authenticates its
 * number and whether it is the last one, so records cannot be reordered,
 * dropped or cut off unnoticed. What is needed to decrypt (besides the key)
 * travels in the R2 object's custom metadata.
 *
 * Each stored object has a key of its own, derived from the data key and the
 * object's name (`originals/<id>`), and its records also authenticate that
 * name: bytes moved to another name (one evidence file swapped for another by
 * someone who can write the bucket but holds no key) no longer open, and a
 * nonce reused within one upload stays within that file's key. Objects sealed
 * before this (`aes-gcm-records-v1`) still open.
 */
export const RECORD = 64 * 1024;
const TAG = 16;

/** R2 multipart parts must be equal (≥ 5 MiB) but the last: 80 records of plaintext each. */
export const PART_PLAIN = 80 * RECORD;

type Format = "aes-gcm-records-v1" | "aes-gcm-records-v2";
const CURRENT: Format = "aes-gcm-records-v2";

export interface SealMeta extends Record<string, string> {
  enc: Format;
  kid: string;
  nonce: string;
  size: string;
}

/** The key and the authenticated-data prefix records of `objectKey` are sealed with, by format. */
interface RecordKey {
  key: CryptoKey;
  prefix: string;
}

const derived = new Map<string, Promise<CryptoKey>>();

/** The AES key of one stored object: HKDF of the data key, named by the object. */
function objectKeyOf(dataKey: DataKey, objectKey: string): Promise<CryptoKey> {
  const id = `${dataKey.id}\u0000${objectKey}`;
  let key = derived.get(id);
  if (!key) {
    key = crypto.subtle.deriveKey(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: new Uint8Array(0),
        info: new TextEncoder().encode(`dossier file ${objectKey}`),
      },
      dataKey.base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    // A few derived keys per request at most; the cache only spares re-deriving during one upload.
    if (derived.size > 1000) derived.clear();
    derived.set(id, key);
  }
  return key;
}

async function recordKey(dataKey: DataKey, objectKey: string, format: Format): Promise<RecordKey> {
  if (format === "aes-gcm-records-v1") return { key: dataKey.key, prefix: dataKey.id };
  return { key: await objectKeyOf(dataKey, objectKey), prefix: `${dataKey.id}:${objectKey}` };
}

export function newSeal(key: DataKey, size: number): { meta: SealMeta; nonceBase: Uint8Array } {
  const nonceBase = randomBytes(12);
  return {
    meta: { enc: CURRENT, kid: key.id, nonce: toBase64Url(nonceBase), size: String(size) },
    nonceBase,
  };
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

function aad(prefix: string, index: number, last: boolean): Uint8Array {
  return new TextEncoder().encode(`${prefix}:${index}:${last ? 1 : 0}`);
}

/**
 * Encrypts whole records of the object `objectKey`, a file of `size` bytes,
 * starting at record `firstIndex`. `plain` must be a whole number of
 * records, unless it ends the file. `format` is the one the object was
 * started in (an upload begun before a format change keeps its own).
 */
export async function sealRecords(
  dataKey: DataKey,
  objectKey: string,
  nonceBase: Uint8Array,
  size: number,
  firstIndex: number,
  plain: Uint8Array,
  format: Format = CURRENT,
): Promise<Uint8Array> {
  const { key, prefix } = await recordKey(dataKey, objectKey, format);
  const last = recordCount(size) - 1;
  const count = Math.max(1, Math.ceil(plain.length / RECORD));
  const out = new Uint8Array(plain.length + count * TAG);
  for (let i = 0; i < count; i++) {
    const index = firstIndex + i;
    const record = plain.subarray(i * RECORD, (i + 1) * RECORD);
    const cipher = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce(nonceBase, index), additionalData: aad(prefix, index, index === last) },
      key,
      record,
    );
    out.set(new Uint8Array(cipher), i * (RECORD + TAG));
  }
  return out;
}

/** A whole small file, sealed in one go (form uploads, clean copies) for the object `objectKey`. */
export async function sealBytes(
  dataKey: DataKey,
  objectKey: string,
  plain: Uint8Array,
): Promise<{ data: Uint8Array; meta: SealMeta }> {
  const { meta, nonceBase } = newSeal(dataKey, plain.length);
  return { data: await sealRecords(dataKey, objectKey, nonceBase, plain.length, 0, plain), meta };
}

/** Decrypts record `index` of the sealed object `objectKey`, given its metadata; throws on bytes that do not belong there. */
function recordOpener(keys: DataKey | readonly DataKey[], meta: Record<string, string>, objectKey: string) {
  const format = meta.enc;
  if (format !== "aes-gcm-records-v1" && format !== "aes-gcm-records-v2") throw new Error("not a sealed file");
  const dataKey = keyById(keys, meta.kid);
  const sealing = recordKey(dataKey, objectKey, format);
  const base = fromBase64(meta.nonce ?? "");
  const last = recordCount(Number(meta.size)) - 1;
  return {
    last,
    async open(record: Uint8Array, index: number): Promise<Uint8Array> {
      const { key, prefix } = await sealing;
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: nonce(base, index), additionalData: aad(prefix, index, index === last) },
        key,
        record,
      );
      return new Uint8Array(plain);
    },
  };
}

/**
 * A stream that decrypts the sealed object `objectKey` record by record; it
 * fails on any tampering, truncation, or bytes that belong to another object.
 */
export function openStream(
  keys: DataKey | readonly DataKey[],
  meta: Record<string, string>,
  objectKey: string,
): TransformStream<Uint8Array, Uint8Array> {
  const { last, open } = recordOpener(keys, meta, objectKey);
  let index = 0;
  let pending = new Uint8Array(0);
  return new TransformStream({
    async transform(chunk, controller) {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let at = 0;
      while (joined.length - at >= RECORD + TAG && index < last) {
        controller.enqueue(await open(joined.subarray(at, at + RECORD + TAG), index++));
        at += RECORD + TAG;
      }
      pending = joined.slice(at);
    },
    async flush(controller) {
      if (index !== last) throw new Error("sealed file is truncated");
      controller.enqueue(await open(pending, index++));
    },
  });
}

/** How many bytes of a sealed object its first record takes. */
export function firstRecordBytes(meta: Record<string, string>): number {
  return Math.min(Number(meta.size), RECORD) + TAG;
}

/**
 * Opens the first record of the sealed object `objectKey` from its first
 * `firstRecordBytes` bytes: a cheap check that the object is the one sealed
 * under this name (bytes moved from another object do not open), and, for a
 * file of one record, the whole file.
 */
export function openFirstRecord(
  keys: DataKey | readonly DataKey[],
  meta: Record<string, string>,
  objectKey: string,
  head: Uint8Array,
): Promise<Uint8Array> {
  return recordOpener(keys, meta, objectKey).open(head, 0);
}

/** Reads a sealed R2 object back whole (small files: images to strip, tests). */
export async function openBytes(keys: DataKey | readonly DataKey[], object: R2ObjectBody): Promise<Uint8Array> {
  const stream = object.body.pipeThrough(openStream(keys, object.customMetadata ?? {}, object.key));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
