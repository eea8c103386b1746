import type { Context } from "hono";
import { translator } from "../../web/i18n/index.ts";
import type { AppEnv } from "../env.ts";
import { localizedError } from "../http-errors.ts";
import { bucketOf, clientAddress, type Limit, recordFailure, retryAfter, useOnce } from "./rate-limit.ts";

/**
 * Refuses with 429 (and Retry-After, in the reader's language) when this
 * client, or `subject` (an account), has used up `limit`; otherwise returns
 * the bucket so the caller can count a hit.
 */
export async function checkLimit(c: Context<AppEnv>, limit: Limit, subject?: string): Promise<string> {
  const bucket = await bucketOf(c.env.DB, limit, subject ?? clientAddress(c.req.raw.headers));
  const wait = await retryAfter(c.env.DB, limit, bucket);
  if (wait > 0) throw tooMany(c, wait);
  return bucket;
}

export function countHit(c: Context<AppEnv>, limit: Limit, bucket: string): Promise<void> {
  return recordFailure(c.env.DB, limit, bucket);
}

/** Counts a use (a submission, an upload) and refuses with 429 past the limit: one D1 statement. */
export async function spendLimit(c: Context<AppEnv>, limit: Limit): Promise<void> {
  const bucket = await bucketOf(c.env.DB, limit, clientAddress(c.req.raw.headers));
  const wait = await useOnce(c.env.DB, limit, bucket);
  if (wait > 0) throw tooMany(c, wait);
}

function tooMany(c: Context<AppEnv>, wait: number) {
  const message = translator(c.get("locale"))("errors.rate_limited", { minutes: Math.ceil(wait / 60) });
  return localizedError(429, message, { "Retry-After": String(wait) });
}
