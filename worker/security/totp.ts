import { Secret, TOTP } from "otpauth";

/**
 * The second factor of coordinators and admins: TOTP (RFC 6238, 30-second
 * steps, 6 digits) as every authenticator app speaks it. A code is accepted
 * one step early or late, and never twice (the last step used is kept).
 */
function totp(secret: string, label = "staff"): TOTP {
  return new TOTP({ issuer: "Dossier", label, secret: Secret.fromBase32(secret), digits: 6, period: 30 });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` address an authenticator app reads (as text or as a QR code). */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** The step of a valid, unused code, or null. */
export function verifyTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  const token = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 30_000) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The current code (tests and the reliability suite sign in with it). */
export function currentTotp(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}
