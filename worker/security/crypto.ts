import { fromBase64, randomBytes, sha256Hex, toBase64Url } from "../domain/encoding.ts";

/**
 * AES-256-GCM for sensitive fields at rest. A ciphertext is
 * `v2.<key id>.<iv>.<ciphertext>`; the key id (first 8 hex of the key's
 * SHA-256) is stored with it so keys can be rotated. Its authenticated data
 * names the row it belongs to (`recommendation:<id>`, `staff:<id>`), so a
 * sealed value copied into another row no longer opens: someone who can
 * write the database but has no key cannot swap whose contact details a
 * coordinator sees. Values sealed before that (`v1.…`) still open.
 */
export interface DataKey {
  id: string;
  key: CryptoKey;
  /** The same secret as HKDF input, for keys derived per file (files/sealed.ts). */
  base: CryptoKey;
}

export async function importDataKey(base64: string): Promise<DataKey> {
  const raw = fromBase64(base64.trim());
  if (raw.length !== 32) throw new Error("DATA_KEY must be 32 bytes, base64-encoded");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  return { id: (await sha256Hex(base64.trim())).slice(0, 8), key, base };
}

const encode = (text: string) => new TextEncoder().encode(text);

/** The rows sealed values belong to. */
export const sealContext = (recommendationId: string) => `recommendation:${recommendationId}`;
export const staffContext = (staffId: string) => `staff:${staffId}`;

/** Seals `plaintext` for the row named by `context` (e.g. `recommendation:<id>`). */
export async function seal(dataKey: DataKey, plaintext: string, context: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encode(`${dataKey.id}:${context}`) },
    dataKey.key,
    encode(plaintext),
  );
  return `v2.${dataKey.id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(cipher))}`;
}

/** The key among `keys` (current and previous) that sealed a value, by its id. */
export function keyById(keys: DataKey | readonly DataKey[], id: string | undefined): DataKey {
  const found = (Array.isArray(keys) ? keys : [keys]).find((k: DataKey) => k.id === id);
  if (!found) throw new Error(`sealed with key ${id}, which is not loaded`);
  return found;
}

/** Opens a value sealed for the row named by `context`; fails when it was sealed for another row, or altered. */
export async function open(keys: DataKey | readonly DataKey[], sealed: string, context: string): Promise<string> {
  const [version, keyId, iv, cipher] = sealed.split(".");
  if ((version !== "v1" && version !== "v2") || !keyId || !iv || !cipher) throw new Error("not a sealed value");
  const dataKey = keyById(keys, keyId);
  const additionalData = encode(version === "v1" ? keyId : `${keyId}:${context}`);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData },
    dataKey.key,
    fromBase64(cipher),
  );
  return new TextDecoder().decode(plain);
}
