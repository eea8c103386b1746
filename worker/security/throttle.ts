import type { Context } from "hono";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import {
  bucketOf,
  clientAddress,
  type Limit,
  type Spent,
  spend,
  submissionLimits,
  uploadLimits,
} from "./rate-limit.ts";

/**
 * Counts one attempt against each limit (per this client, or per the account
 * given) and refuses with 429, Retry-After and a message in the reader's
 * language when any is used up. Returns the buckets, so a caller whose
 * attempt turned out well can give it back (refund).
 */
export function spendLimits(c: Context<AppEnv>, limits: [Limit, string?][]): Promise<Spent[]> {
  return spendFor(c.env, c.req.raw.headers, limits);
}

/** The same, for code that has the request's headers rather than its context (a service). */
export async function spendFor(env: Env, headers: Headers, limits: [Limit, string?][]): Promise<Spent[]> {
  const buckets = await bucketsFor(env, headers, limits);
  const wait = await spend(env.DB, buckets);
  if (wait > 0) throw rateLimited(wait);
  return buckets;
}

/** The buckets this client's attempt goes in, for a caller that counts them in its own first write. */
export function bucketsFor(env: Env, headers: Headers, limits: [Limit, string?][]): Promise<Spent[]> {
  const address = clientAddress(headers);
  return Promise.all(
    limits.map(async ([limit, subject]) => ({ limit, bucket: await bucketOf(env, limit, subject ?? address) })),
  );
}

/** The refusal once a limit is used up: 429, Retry-After, and a sentence in the reader's language. */
export function rateLimited(wait: number): AppError {
  const minutes = Math.ceil(wait / 60);
  return new AppError(429, { key: "errors.rate_limited", params: { minutes } }, {}, { "Retry-After": String(wait) });
}

/** Counts a submission, from this client and from everyone, and refuses with 429 past either limit. */
export async function spendSubmission(c: Context<AppEnv>): Promise<void> {
  await spendLimits(c, submissionLimits(c.env));
}

/**
 * The buckets a submission counts in, for intake to count in its first
 * write (services/submit.ts): one round trip fewer than spending first,
 * where nothing is stored before that write.
 */
export function submissionBuckets(c: Context<AppEnv>): Promise<Spent[]> {
  return bucketsFor(c.env, c.req.raw.headers, submissionLimits(c.env));
}

/** Counts an upload started, from this client and from everyone, and refuses with 429 past either limit. */
export async function spendUpload(c: Context<AppEnv>): Promise<void> {
  await spendLimits(c, uploadLimits(c.env));
}
