import { randomBytes, sha256Hex, toBase64Url } from "./encoding.ts";

/**
 * Counts failures (wrong receipts, wrong passwords …) per client without
 * storing who the client is: the bucket is SHA-256 of a random salt of the
 * day, the purpose and the connecting address. Salts older than a day are
 * deleted, after which no bucket can be tied back to an address.
 */
export interface Limit {
  purpose: string;
  max: number;
  windowSeconds: number;
}

export const RECEIPT_LOOKUPS: Limit = { purpose: "receipt", max: 10, windowSeconds: 15 * 60 };
/** Wrong passwords from one client. */
export const LOGIN_FAILURES: Limit = { purpose: "login", max: 20, windowSeconds: 15 * 60 };
/** Wrong passwords for one account, from anywhere: a lockout that slows guessing to a crawl. */
export const ACCOUNT_FAILURES: Limit = { purpose: "account", max: 5, windowSeconds: 15 * 60 };
/** Recommendations sent from one client. */
export const SUBMISSIONS: Limit = { purpose: "submission", max: 30, windowSeconds: 60 * 60 };
/** Uploads started from one client. */
export const UPLOAD_CREATIONS: Limit = { purpose: "upload", max: 200, windowSeconds: 60 * 60 };

/** Today's salt, kept by the isolate once read (it is the same for everyone all day). */
let remembered: { day: string; salt: string } | undefined;

async function daySalt(db: D1Database, now: Date): Promise<string> {
  const day = now.toISOString().slice(0, 10);
  if (remembered?.day === day) return remembered.salt;
  const salt = await readDaySalt(db, now, day);
  remembered = { day, salt };
  return salt;
}

async function readDaySalt(db: D1Database, now: Date, day: string): Promise<string> {
  const found = await db.prepare("SELECT salt FROM salts WHERE day = ?").bind(day).first<{ salt: string }>();
  if (found) return found.salt;
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const [, , , , row] = await db.batch<{ salt: string }>([
    db.prepare("INSERT OR IGNORE INTO salts (day, salt) VALUES (?, ?)").bind(day, toBase64Url(randomBytes(32))),
    db.prepare("DELETE FROM salts WHERE day < ?").bind(yesterday),
    db.prepare("DELETE FROM rate_limits WHERE reset_at < ?").bind(now.toISOString()),
    db.prepare("DELETE FROM idempotency WHERE created_at < ?").bind(new Date(now.getTime() - 86_400_000).toISOString()),
    db.prepare("SELECT salt FROM salts WHERE day = ?").bind(day),
  ]);
  const salt = row?.results[0]?.salt;
  if (!salt) throw new Error("no salt for today");
  return salt;
}

/** The bucket of this client for this purpose (never the address itself). */
export async function bucketOf(db: D1Database, limit: Limit, clientAddress: string): Promise<string> {
  const salt = await daySalt(db, new Date());
  return sha256Hex(`${salt}\u0000${limit.purpose}\u0000${clientAddress}`);
}

/** Seconds until the bucket may try again, or 0 when it is not limited. */
export async function retryAfter(db: D1Database, limit: Limit, bucket: string): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .prepare("SELECT hits, reset_at FROM rate_limits WHERE bucket = ? AND reset_at > ?")
    .bind(bucket, now)
    .first<{ hits: number; reset_at: string }>();
  if (!row || row.hits < limit.max) return 0;
  return Math.max(1, Math.ceil((Date.parse(row.reset_at) - Date.now()) / 1000));
}

/**
 * Counts one use and says, in the same statement, whether it went over the
 * limit: for limits on every use (submissions, uploads) rather than on failures.
 * Returns the seconds to wait, or 0.
 */
export async function useOnce(db: D1Database, limit: Limit, bucket: string): Promise<number> {
  const now = new Date();
  const reset = new Date(now.getTime() + limit.windowSeconds * 1000).toISOString();
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (bucket, hits, reset_at) VALUES (?1, 1, ?2)
       ON CONFLICT (bucket) DO UPDATE SET
         hits = CASE WHEN reset_at <= ?3 THEN 1 ELSE hits + 1 END,
         reset_at = CASE WHEN reset_at <= ?3 THEN ?2 ELSE reset_at END
       RETURNING hits, reset_at`,
    )
    .bind(bucket, reset, now.toISOString())
    .first<{ hits: number; reset_at: string }>();
  if (!row || row.hits <= limit.max) return 0;
  return Math.max(1, Math.ceil((Date.parse(row.reset_at) - now.getTime()) / 1000));
}

export async function recordFailure(db: D1Database, limit: Limit, bucket: string): Promise<void> {
  const now = new Date();
  const reset = new Date(now.getTime() + limit.windowSeconds * 1000).toISOString();
  await db
    .prepare(
      `INSERT INTO rate_limits (bucket, hits, reset_at) VALUES (?1, 1, ?2)
       ON CONFLICT (bucket) DO UPDATE SET
         hits = CASE WHEN reset_at <= ?3 THEN 1 ELSE hits + 1 END,
         reset_at = CASE WHEN reset_at <= ?3 THEN ?2 ELSE reset_at END`,
    )
    .bind(bucket, reset, now.toISOString())
    .run();
}

/** The address the request came from, used only as hash input and never kept. */
export function clientAddress(headers: Headers): string {
  return headers.get("CF-Connecting-IP") ?? "local";
}
