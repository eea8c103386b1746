import { fromBase64, randomBytes, sha256Hex, toBase64Url } from "./encoding.ts";

/**
 * AES-256-GCM for sensitive fields at rest. A ciphertext is
 * `v1.<key id>.<iv>.<ciphertext>`; the key id (first 8 hex of the key's
 * SHA-256) is stored with it so keys can be rotated later.
 */
export interface DataKey {
  id: string;
  key: CryptoKey;
}

export async function importDataKey(base64: string): Promise<DataKey> {
  const raw = fromBase64(base64.trim());
  if (raw.length !== 32) throw new Error("DATA_KEY must be 32 bytes, base64-encoded");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id: (await sha256Hex(base64.trim())).slice(0, 8), key };
}

export async function seal(dataKey: DataKey, plaintext: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(dataKey.id) },
    dataKey.key,
    new TextEncoder().encode(plaintext),
  );
  return `v1.${dataKey.id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(cipher))}`;
}

/** The key among `keys` (current and previous) that sealed a value, by its id. */
export function keyById(keys: DataKey | readonly DataKey[], id: string | undefined): DataKey {
  const found = (Array.isArray(keys) ? keys : [keys]).find((k: DataKey) => k.id === id);
  if (!found) throw new Error(`sealed with key ${id}, which is not loaded`);
  return found;
}

export async function open(keys: DataKey | readonly DataKey[], sealed: string): Promise<string> {
  const [version, keyId, iv, cipher] = sealed.split(".");
  if (version !== "v1" || !keyId || !iv || !cipher) throw new Error("not a sealed value");
  const dataKey = keyById(keys, keyId);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(keyId) },
    dataKey.key,
    fromBase64(cipher),
  );
  return new TextDecoder().decode(plain);
}
