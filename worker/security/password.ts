import { fromBase64, randomBytes, timingSafeEqual, toBase64Url } from "../domain/encoding.ts";

/**
 * PBKDF2-SHA-256 password hashes, `pbkdf2-sha256$<iterations>$<salt>$<hash>`.
 * 100,000 iterations is the most the Workers runtime allows in production.
 * Also imported by scripts/staff.ts (Node), so this file uses WebCrypto only.
 */
export const PBKDF2_ITERATIONS = 100_000;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return toBase64Url(new Uint8Array(bits));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${await derive(password, salt, PBKDF2_ITERATIONS)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const candidate = await derive(password, fromBase64(salt), Number(iterations));
  return timingSafeEqual(candidate, hash);
}

/** A password to print for a new account: 20 characters from 120 random bits. */
export function generatePassword(): string {
  return toBase64Url(randomBytes(15));
}

/**
 * Work equal to one verification, for a login whose email is unknown, so the
 * response time does not tell which addresses have accounts.
 */
export async function burnPasswordWork(password: string): Promise<void> {
  await derive(password, new Uint8Array(16), PBKDF2_ITERATIONS);
}
