/**
 * Receipt codes: 20 characters of Crockford base32 (100 bits), shown once,
 * grouped by four so they can be read aloud or copied by hand.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newReceipt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = [...bytes].map((b) => ALPHABET[b & 31]);
  return chars.join("").replace(/(.{4})(?!$)/g, "$1-");
}

/** What a person typed → the canonical code (case, spaces, dashes and look-alikes forgiven). */
export function normalizeReceipt(input: string): string {
  const plain = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  return plain.replace(/(.{4})(?!$)/g, "$1-");
}
