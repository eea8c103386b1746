import app from "./app.tsx";
import { upgradeBatch } from "./services/correction.ts";
import { sweep } from "./services/housekeeping.ts";
import { listsScheduled } from "./services/lists.ts";
import { reconcileScheduled } from "./services/reconcile.ts";
import { type ScreeningJob, screenBatch, screenUnscreened } from "./services/screening.ts";

export { Recommendation } from "./durable/recommendation.ts";
export { Upload } from "./durable/upload.ts";

/** Recommendations stored in version 1 that one run of the Cron Trigger upgrades (each is two D1 writes and an event). */
const UPGRADE_BATCH = 100;

export default {
  fetch: app.fetch,
  /** The Cron Trigger of wrangler.toml: brings D1's queue and the workflow objects into agreement, sweeps, and stores version-1 records as version 2. */
  async scheduled(_controller, env) {
    const [report, , upgraded, lists, screened] = await Promise.all([
      reconcileScheduled(env),
      sweep(env),
      upgradeBatch(env, UPGRADE_BATCH),
      listsScheduled(env),
      screenUnscreened(env),
    ]);
    if (lists.imported || lists.rescreened) console.log("sanctions lists", JSON.stringify(lists));
    if (screened) console.log("screened", screened);
    if (report.confirmed || report.failed) console.log("scheduled reconciliation", JSON.stringify(report));
    if (upgraded) console.log("stored as version 2 of the case file", upgraded);
  },
  /** The screening queue (wrangler.toml): new recommendations, screened a batch at a time. */
  async queue(batch, env) {
    await screenBatch(env, batch);
  },
} satisfies ExportedHandler<Env, ScreeningJob>;
