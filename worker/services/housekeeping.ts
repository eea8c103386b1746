import { deleteUnattached, listUnattachedBefore } from "../db/attachments.ts";
import { deleteExpiredDrafts } from "../db/drafts.ts";
import { deleteOldKeys } from "../db/idempotency.ts";
import { deleteEndedWindows } from "../security/rate-limit.ts";

/** A file nobody attached (and no draft holds) is kept this long after it arrived, then deleted, whatever path it came by. */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 200;

/**
 * Deletes evidence files that never became part of a recommendation (a form
 * that was never sent, an upload left behind): their rows first, so no
 * submission can claim a file while its bytes go (a row attached meanwhile
 * stays, bytes and all), then the stored bytes of those deleted.
 * Uploads over tus are also removed by their own object; this catches every path.
 */
export async function sweepUnattached(env: Env, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - UNATTACHED_TTL_MS).toISOString();
  // A file a draft holds stays as long as the draft does ("save and continue later" keeps files).
  const stale = await listUnattachedBefore(env.DB, before, SWEEP_BATCH, now.toISOString());
  if (stale.length === 0) return 0;
  const keys = await deleteUnattached(
    env.DB,
    stale.map((f) => f.id),
  );
  if (keys.length > 0) await env.FILES.delete(keys);
  return keys.length;
}

/**
 * What the Cron Trigger clears besides reconciling: ended rate-limit windows,
 * idempotency keys older than a day, files nobody attached, and drafts past
 * their 30 days.
 */
export async function sweep(env: Env, now = new Date()): Promise<void> {
  await Promise.all([
    deleteEndedWindows(env.DB, now),
    deleteOldKeys(env.DB, now),
    sweepUnattached(env, now),
    deleteExpiredDrafts(env.DB, now.toISOString()),
  ]);
}
