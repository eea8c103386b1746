import type { Context } from "hono";
import { translator } from "../../web/i18n/index.ts";
import type { AppEnv } from "../env.ts";
import { localizedError } from "../http-errors.ts";
import { bucketOf, clientAddress, type Limit, recordFailure, retryAfter } from "./rate-limit.ts";

/**
 * Refuses with 429 (and Retry-After, in the reader's language) when this
 * client, or `subject` (an account), has used up `limit`; otherwise returns
 * the bucket so the caller can count a hit.
 */
export async function checkLimit(c: Context<AppEnv>, limit: Limit, subject?: string): Promise<string> {
  const bucket = await bucketOf(c.env.DB, limit, subject ?? clientAddress(c.req.raw.headers));
  const wait = await retryAfter(c.env.DB, limit, bucket);
  if (wait > 0) {
    const message = translator(c.get("locale"))("errors.rate_limited", { minutes: Math.ceil(wait / 60) });
    throw localizedError(429, message, { "Retry-After": String(wait) });
  }
  return bucket;
}

export function countHit(c: Context<AppEnv>, limit: Limit, bucket: string): Promise<void> {
  return recordFailure(c.env.DB, limit, bucket);
}
