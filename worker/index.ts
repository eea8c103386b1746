import app from "./app.tsx";
import { sweep } from "./services/housekeeping.ts";
import { reconcileScheduled } from "./services/reconcile.ts";

export { Recommendation } from "./durable/recommendation.ts";
export { Upload } from "./durable/upload.ts";

export default {
  fetch: app.fetch,
  /** The Cron Trigger of wrangler.toml: brings D1's queue and the workflow objects into agreement, and sweeps. */
  async scheduled(_controller, env) {
    const [report] = await Promise.all([reconcileScheduled(env), sweep(env)]);
    if (report.confirmed || report.failed) console.log("scheduled reconciliation", JSON.stringify(report));
  },
} satisfies ExportedHandler<Env>;
