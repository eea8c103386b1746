import { deleteOldKeys } from "../db/idempotency.ts";
import { deleteEndedWindows } from "../security/rate-limit.ts";

/** What the Cron Trigger clears besides reconciling: ended rate-limit windows and idempotency keys older than a day. */
export async function sweep(env: Env, now = new Date()): Promise<void> {
  await Promise.all([deleteEndedWindows(env.DB, now), deleteOldKeys(env.DB, now)]);
}
