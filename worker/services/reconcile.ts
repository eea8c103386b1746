import { listIds } from "../db/recommendations.ts";
import { recommendationObject } from "../durable/recommendation.ts";

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
  await Promise.all(
    batch.map(async (row) => {
      const object = recommendationObject(env, row.id);
      await object.open(row.id, row.createdAt);
      await object.reproject();
    }),
  );
  return { processed: batch.length, lastSeq: batch.at(-1)?.seq ?? afterSeq, more: rows.length > RECONCILE_BATCH };
}
