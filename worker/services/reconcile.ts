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
  /** Recommendations whose object had not confirmed their queue row (opened now if intake could not). */
  confirmed: number;
  /** Recommendations checked in this turn of the rolling pass over all of them. */
  checked: number;
  failed: number;
}

/**
 * What the Cron Trigger runs, so nobody has to press a button: every queue
 * row no object has confirmed (intake wrote it, then could not open the
 * object, or has not been confirmed yet) gets its object opened and its row
 * rewritten; and one more batch of a rolling pass over all recommendations
 * rewrites queue rows from their objects, so any drift is caught within a
 * cycle. One object failing does not stop the others. Opening is idempotent
 * and derived from the D1 row, so racing a request that opens the same object
 * does no harm.
 */
export async function reconcileScheduled(env: Env): Promise<ScheduledReport> {
  const [unconfirmed, after] = await Promise.all([
    listUnconfirmed(env.DB, RECONCILE_BATCH),
    readCounter(env.DB, ROLLING_CURSOR),
  ]);
  const rolling = await listIds(env.DB, after, RECONCILE_BATCH);
  const results = await Promise.allSettled([...unconfirmed, ...rolling].map((row) => reconcileOne(env, row)));
  const failed = results.filter((r) => r.status === "rejected");
  for (const failure of failed)
    console.warn("scheduled reconciliation of one recommendation failed", String(failure.reason));
  // At the end of the list the pass starts again from the beginning.
  await writeCounter(env.DB, ROLLING_CURSOR, rolling.length < RECONCILE_BATCH ? 0 : (rolling.at(-1)?.seq ?? 0));
  return { confirmed: unconfirmed.length, checked: rolling.length, failed: failed.length };
}
