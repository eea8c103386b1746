import { readCounter, writeCounter } from "../db/counters.ts";
import { listIds, listUnconfirmed } from "../db/recommendations.ts";
import { type Opening, openingOf, recommendationObject } from "../durable/recommendation.ts";

export interface ReconcileBatch {
  processed: number;
  lastSeq: number;
  more: boolean;
}

/** How many recommendations one request reconciles (each is two calls to its object). */
export const RECONCILE_BATCH = 100;

/**
 * Makes D1 and the objects agree for one batch of recommendations: opens an
 * object that intake never reached (idempotent, from the D1 row), then
 * rewrites the queue row from the object, which is the source of truth.
 */
export async function reconcileBatch(env: Env, afterSeq: number): Promise<ReconcileBatch> {
  const rows = await listIds(env.DB, afterSeq, RECONCILE_BATCH + 1);
  const batch = rows.slice(0, RECONCILE_BATCH);
  await Promise.all(batch.map((row) => reconcileOne(env, row)));
  return { processed: batch.length, lastSeq: batch.at(-1)?.seq ?? afterSeq, more: rows.length > RECONCILE_BATCH };
}

async function reconcileOne(env: Env, row: Opening): Promise<void> {
  const object = recommendationObject(env, row.id);
  await object.open(openingOf(row));
  await object.reproject();
}

const ROLLING_CURSOR = "reconcile:after";

export interface ScheduledReport {
  /** New recommendations whose object was opened now (intake leaves that to this or the first reader). */
  confirmed: number;
  /** Recommendations checked in this turn of the rolling pass over all of them. */
  checked: number;
  failed: number;
}

/**
 * New recommendations one run of the Cron Trigger opens at most: intake no
 * longer opens them, so a burst of submissions is caught up on here, in
 * batches, up to 12,000 an hour.
 */
export const OPENED_PER_RUN = 10 * RECONCILE_BATCH;

/**
 * What the Cron Trigger runs, so nobody has to press a button: every queue
 * row no object has confirmed yet (each new recommendation: intake commits
 * to D1 and leaves the object to its first reader or to this) gets its
 * object opened and its row rewritten; and one more batch of a rolling pass
 * over all recommendations rewrites queue rows from their objects, so any
 * drift is caught within a cycle. One object failing does not stop the
 * others. Opening is idempotent and derived from the D1 row, so racing a
 * request that opens the same object does no harm.
 */
export async function reconcileScheduled(env: Env): Promise<ScheduledReport> {
  let confirmed = 0;
  let failed = 0;
  const settle = async (rows: readonly Opening[]) => {
    const results = await Promise.allSettled(rows.map((row) => reconcileOne(env, row)));
    for (const result of results) {
      if (result.status === "fulfilled") continue;
      failed++;
      console.warn("scheduled reconciliation of one recommendation failed", String(result.reason));
    }
    return results.filter((r) => r.status === "fulfilled").length;
  };
  // A batch that fails whole is left for the next run rather than read again in this one.
  for (let round = 0; round < OPENED_PER_RUN / RECONCILE_BATCH; round++) {
    const unconfirmed = await listUnconfirmed(env.DB, RECONCILE_BATCH);
    const opened = await settle(unconfirmed);
    confirmed += opened;
    if (unconfirmed.length < RECONCILE_BATCH || opened === 0) break;
  }
  const after = await readCounter(env.DB, ROLLING_CURSOR);
  const rolling = await listIds(env.DB, after, RECONCILE_BATCH);
  await settle(rolling);
  // At the end of the list the pass starts again from the beginning.
  await writeCounter(env.DB, ROLLING_CURSOR, rolling.length < RECONCILE_BATCH ? 0 : (rolling.at(-1)?.seq ?? 0));
  return { confirmed, checked: rolling.length, failed };
}
