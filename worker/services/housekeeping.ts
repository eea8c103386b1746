import { deleteUnattached, listUnattachedBefore } from "../db/attachments.ts";
import { deleteExpiredDrafts } from "../db/drafts.ts";
import { deleteOldKeys } from "../db/idempotency.ts";
import { deleteReadBefore } from "../db/notifications.ts";
import { deleteEndedSessions } from "../db/staff.ts";
import { deleteEndedWindows } from "../security/rate-limit.ts";
import { ABSOLUTE_HOURS, IDLE_MINUTES } from "../security/session.ts";

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

/** Read inbox items are kept this long after reading. */
export const READ_INBOX_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * What the Cron Trigger clears besides reconciling (each kind's lifetime is
 * in domain/lifetimes.ts): ended rate-limit windows, idempotency keys older
 * than a day, files nobody attached, drafts past their 30 days, sessions past
 * their limits, and inbox items read 30 days ago.
 */
export async function sweep(env: Env, now = new Date()): Promise<void> {
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await Promise.all([
    deleteEndedWindows(env.DB, now),
    deleteOldKeys(env.DB, now),
    sweepUnattached(env, now),
    deleteExpiredDrafts(env.DB, now.toISOString()),
    deleteEndedSessions(env.DB, ago(IDLE_MINUTES * 60_000), ago(ABSOLUTE_HOURS * 3_600_000)),
    deleteReadBefore(env.DB, ago(READ_INBOX_TTL_MS)),
  ]);
}
