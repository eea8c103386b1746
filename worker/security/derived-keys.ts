import { fromBase64, toHex } from "../domain/encoding.ts";

/**
 * Keys derived from DATA_KEY with HKDF, one per purpose, so the encryption
 * key itself is never used for anything but encryption.
 */
const cache = new Map<string, Promise<CryptoKey>>();

export function hmacKey(dataKey: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${dataKey}`;
  let key = cache.get(id);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey("raw", fromBase64(dataKey.trim()), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(0),
          info: new TextEncoder().encode(`dossier ${purpose}`),
        },
        base,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    cache.set(id, key);
  }
  return key;
}

export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

/** HMAC-SHA-256 under the key derived for `purpose`, as hex: a hash that nobody without DATA_KEY can recompute. */
export async function keyedHash(dataKey: string, purpose: string, message: string): Promise<string> {
  return toHex(await hmac(await hmacKey(dataKey, purpose), message));
}
