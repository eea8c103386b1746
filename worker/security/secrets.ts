import { randomBytes, sha256Hex, toBase64Url } from "../domain/encoding.ts";

/**
 * Bearer secrets (API tokens, session ids): random, shown once, stored only as
 * their SHA-256. Unguessable 160-bit values need no salt or slow hash.
 */
export function newSecret(prefix: string): string {
  return `${prefix}_${toBase64Url(randomBytes(20))}`;
}

export function secretHash(secret: string): Promise<string> {
  return sha256Hex(secret);
}
