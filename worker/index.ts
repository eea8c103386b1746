import app from "./app.tsx";
import type { Notice } from "./domain/notifications.ts";
import { upgradeBatch } from "./services/correction.ts";
import { sweep } from "./services/housekeeping.ts";
import { listsScheduled } from "./services/lists.ts";
import { fileNotices, sendDigests } from "./services/notifications.ts";
import { reconcileScheduled } from "./services/reconcile.ts";
import { type ScreeningJob, screenBatch, screenLater } from "./services/screening.ts";

export { Recommendation } from "./durable/recommendation.ts";
export { Upload } from "./durable/upload.ts";

/** Recommendations stored in version 1 that one run of the Cron Trigger upgrades (each is two D1 writes and an event). */
const UPGRADE_BATCH = 100;

export default {
  fetch: app.fetch,
  /** The Cron Trigger of wrangler.toml: brings D1's queue and the workflow objects into agreement (opening new ones), puts new recommendations on the screening queue, sweeps, stores version-1 records as version 2, and mails what waited. */
  async scheduled(_controller, env) {
    const [report, , upgraded, lists, screened, mailed] = await Promise.all([
      reconcileScheduled(env),
      sweep(env),
      upgradeBatch(env, UPGRADE_BATCH),
      listsScheduled(env),
      screenLater(env),
      // What waited for a mail interval to pass goes now.
      sendDigests(env),
    ]);
    if (mailed.staff || mailed.submitters) console.log("mailed", JSON.stringify(mailed));
    if (lists.imported || lists.rescreened) console.log("sanctions lists", JSON.stringify(lists));
    if (screened) console.log("put on the screening queue", screened);
    if (report.confirmed || report.failed) console.log("scheduled reconciliation", JSON.stringify(report));
    if (upgraded) console.log("stored as version 2 of the case file", upgraded);
  },
  /** The queues of wrangler.toml: new recommendations to screen, and notices to file and mail. */
  async queue(batch, env) {
    if (batch.queue.startsWith("dossier-notifications")) {
      // A failure retries the batch: filing is idempotent per person and event.
      await fileNotices(
        env,
        batch.messages.map((m) => m.body as Notice),
      );
      batch.ackAll();
      return;
    }
    await screenBatch(env, batch as MessageBatch<ScreeningJob>);
  },
} satisfies ExportedHandler<Env, ScreeningJob | Notice>;
