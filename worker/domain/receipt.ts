/**
 * Receipt codes: 20 characters of Crockford base32 (100 bits), shown once,
 * grouped by four so they can be read aloud or copied by hand.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newReceipt(): string {
  return receiptFromBytes(crypto.getRandomValues(new Uint8Array(20)));
}

/** 20 bytes (random, or an HMAC for a replayed submission) → a code; 5 bits of each byte are used. */
export function receiptFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 20) throw new Error("a receipt needs 20 bytes");
  const chars = [...bytes.subarray(0, 20)].map((b) => ALPHABET[b & 31]);
  return chars.join("").replace(/(.{4})(?!$)/g, "$1-");
}

/** What a person typed → the canonical code (case, spaces, dashes and look-alikes forgiven). */
export function normalizeReceipt(input: string): string {
  const plain = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  return plain.replace(/(.{4})(?!$)/g, "$1-");
}
