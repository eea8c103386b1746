import type { Gate } from "../db/gate.ts";
import { toHex } from "../domain/encoding.ts";
import { hmac, hmacKey } from "./derived-keys.ts";

/**
 * Counts uses (submissions, uploads) and attempts (receipt lookups, sign-ins)
 * without storing who made them. A bucket is an HMAC under a key derived from
 * DATA_KEY, which D1 does not hold, so reading the database (or a restore of
 * it) gives no way to try every address against the buckets.
 *
 * - Per client (a network address): the key changes every day and windows are
 *   fixed and aligned to the clock. Every window length divides a day, so the
 *   daily change of key falls on a window boundary and ends nothing early; and
 *   no stored time says when a client first came.
 * - Per account (an email): the key does not change and the window runs from
 *   the first failed attempt, so a lockout lasts its full length, across
 *   midnight too.
 *
 * Every attempt is counted before it is judged, in one statement that also
 * says whether it is over the limit, so parallel attempts cannot slip past.
 */
export interface Limit {
  purpose: string;
  max: number;
  windowSeconds: number;
  per: "client" | "account";
}

export const RECEIPT_LOOKUPS: Limit = { purpose: "receipt", max: 10, windowSeconds: 15 * 60, per: "client" };
/** Draft codes guessed: counted like receipt codes, wrong ones only. */
export const DRAFT_LOOKUPS: Limit = { purpose: "draft", max: 10, windowSeconds: 15 * 60, per: "client" };
/** Failed sign-ins from one client. */
export const LOGIN_FAILURES: Limit = { purpose: "login", max: 20, windowSeconds: 15 * 60, per: "client" };
/** Failed sign-ins for one account, from anywhere: a lockout that slows guessing to a crawl. */
export const ACCOUNT_FAILURES: Limit = { purpose: "account", max: 5, windowSeconds: 15 * 60, per: "account" };
/** Recommendations sent from one client. */
export const SUBMISSIONS: Limit = { purpose: "submission", max: 30, windowSeconds: 60 * 60, per: "client" };
/** Uploads started from one client. */
export const UPLOAD_CREATIONS: Limit = { purpose: "upload", max: 200, windowSeconds: 60 * 60, per: "client" };

/** The subject of the caps on everyone together. */
export const EVERYONE = "everyone";

function perHour(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/**
 * Per-client limits mean nothing to someone with many addresses (every IPv6
 * customer has a /64, botnets have thousands), so submissions and uploads
 * also have a cap on everyone together, per hour (`GLOBAL_SUBMISSIONS_PER_HOUR`,
 * `GLOBAL_UPLOADS_PER_HOUR`): a flood fills the queue and the bucket only so far.
 */
export function submissionLimits(env: Env): [Limit, string?][] {
  const all = perHour(env.GLOBAL_SUBMISSIONS_PER_HOUR, 1000);
  return [[SUBMISSIONS], [{ purpose: "submission-all", max: all, windowSeconds: 60 * 60, per: "client" }, EVERYONE]];
}

export function uploadLimits(env: Env): [Limit, string?][] {
  const all = perHour(env.GLOBAL_UPLOADS_PER_HOUR, 5000);
  return [[UPLOAD_CREATIONS], [{ purpose: "upload-all", max: all, windowSeconds: 60 * 60, per: "client" }, EVERYONE]];
}

/** The bucket of `subject` (an address or an account) for `limit`; never the subject itself. */
export async function bucketOf(env: Env, limit: Limit, subject: string, now = new Date()): Promise<string> {
  const purpose = limit.per === "client" ? `rate-limit ${now.toISOString().slice(0, 10)}` : "rate-limit accounts";
  return toHex(await hmac(await hmacKey(env.DATA_KEY, purpose), `${limit.purpose}\u0000${subject}`));
}

/** When the window that holds `now` ends. */
function windowEnd(limit: Limit, now: Date): string {
  const ms = limit.windowSeconds * 1000;
  const end = limit.per === "client" ? (Math.floor(now.getTime() / ms) + 1) * ms : now.getTime() + ms;
  return new Date(end).toISOString();
}

/** One attempt counted, atomically: a statement for a D1 batch, answering the bucket's hits and window end. */
function countStatement(db: D1Database, limit: Limit, bucket: string, now: Date): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO rate_limits (bucket, hits, reset_at) VALUES (?1, 1, ?2)
       ON CONFLICT (bucket) DO UPDATE SET
         hits = CASE WHEN reset_at <= ?3 THEN 1 ELSE hits + 1 END,
         reset_at = CASE WHEN reset_at <= ?3 THEN ?2 ELSE reset_at END
       RETURNING hits, reset_at`,
    )
    .bind(bucket, windowEnd(limit, now), now.toISOString());
}

export interface Spent {
  limit: Limit;
  bucket: string;
}

/**
 * Counts one attempt in each bucket (one D1 batch, so one round trip) and
 * returns the seconds to wait when any of them went over its limit, else 0.
 */
export async function spend(db: D1Database, buckets: readonly Spent[], now = new Date()): Promise<number> {
  return waitAfter(buckets, await db.batch<Counted>(countStatements(db, buckets, now)), now);
}

/** What a count statement answers: the bucket's hits and when its window ends. */
export type Counted = { hits: number; reset_at: string };

/** The statements that count one attempt in each bucket, for a caller's own batch (see `limitsGate`). */
export function countStatements(db: D1Database, buckets: readonly Spent[], now = new Date()): D1PreparedStatement[] {
  return buckets.map((b) => countStatement(db, b.limit, b.bucket, now));
}

/** The seconds to wait that the count statements' results say (0: every bucket within its limit). */
export function waitAfter(buckets: readonly Spent[], results: readonly D1Result<Counted>[], now = new Date()): number {
  let wait = 0;
  for (const [i, result] of results.slice(0, buckets.length).entries()) {
    const row = result.results[0];
    const limit = buckets[i]?.limit;
    if (row && limit && row.hits > limit.max) {
      wait = Math.max(wait, Math.ceil((Date.parse(row.reset_at) - now.getTime()) / 1000), 1);
    }
  }
  return wait;
}

/**
 * The rate limits as a gate for a request's first write (db/gate.ts): one
 * attempt counted in each bucket, then the write only while every bucket is
 * within its limit, which is when `waitAfter` on the counts says 0. Counted
 * and judged in the same round trip as the write.
 */
export function limitsGate(db: D1Database, buckets: readonly Spent[], now = new Date()): Gate {
  return {
    before: countStatements(db, buckets, now),
    condition: (first) => ({
      sql:
        buckets
          .map((_, i) => `(SELECT hits FROM rate_limits WHERE bucket = ?${first + 2 * i}) <= ?${first + 2 * i + 1}`)
          .join(" AND ") || "1",
      values: buckets.flatMap((b) => [b.bucket, b.limit.max]),
    }),
  };
}

/**
 * Gives back `count` attempts (1: it turned out well, a right password or a
 * known receipt, so only failures count; 0: the same write, for the same
 * cost, when it did not).
 */
export async function refund(db: D1Database, buckets: readonly Spent[], count = 1, now = new Date()): Promise<void> {
  await db.batch(
    buckets.map((b) =>
      db
        .prepare("UPDATE rate_limits SET hits = max(hits - ?3, 0) WHERE bucket = ?1 AND reset_at > ?2")
        .bind(b.bucket, now.toISOString(), count),
    ),
  );
}

/** Deletes windows that have ended (the scheduled housekeeping). */
export async function deleteEndedWindows(db: D1Database, now = new Date()): Promise<void> {
  await db.prepare("DELETE FROM rate_limits WHERE reset_at <= ?").bind(now.toISOString()).run();
}

/**
 * The client a request came from, used only as HMAC input and never kept: an
 * IPv4 address, or the /64 network of an IPv6 address (one customer usually
 * holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function clientAddress(headers: Headers): string {
  return networkOf(headers.get("CF-Connecting-IP") ?? "local");
}

/** `2001:db8:a:b:1:2:3:4` → `2001:db8:a:b::/64`; IPv4 (also IPv4-mapped IPv6) as it is. */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, "") || "0")
    .join(":")}::/64`;
}
