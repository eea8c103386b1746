import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Gate } from "./gate.ts";
import { idempotency } from "./schema.ts";

/**
 * A claim older than this with no recommendation behind it was left by a
 * request that died between claiming and committing (no request runs this
 * long): the next request with the key takes it over.
 */
export const CLAIM_STALE_MS = 60_000;

/**
 * Takes the key for this request: a new key, or one whose earlier claim was
 * abandoned. False when another request holds it or has finished with it,
 * or when a gate's condition does not hold (its statements run first in the
 * same batch; `gated` holds what they answered).
 */
export async function claimKey(
  db: D1Database,
  keyHash: string,
  bodyHash: string,
  gate?: Gate,
  now = new Date(),
): Promise<{ claimed: boolean; gated: D1Result[] }> {
  const stale = new Date(now.getTime() - CLAIM_STALE_MS).toISOString();
  const condition = gate?.condition(5); // its values after the claim's four
  const before = gate?.before ?? [];
  const results = await db.batch([
    ...before,
    db
      .prepare(
        `INSERT INTO idempotency (key_hash, body_hash, created_at) SELECT ?1, ?2, ?3 WHERE ${condition?.sql ?? "1"}
         ON CONFLICT (key_hash) DO UPDATE SET body_hash = excluded.body_hash, created_at = excluded.created_at
           WHERE rec_id IS NULL AND created_at < ?4
         RETURNING key_hash`,
      )
      .bind(keyHash, bodyHash, now.toISOString(), stale, ...(condition?.values ?? [])),
  ]);
  return { claimed: (results[before.length]?.results.length ?? 0) > 0, gated: results.slice(0, before.length) };
}

/** The statement that records the key's recommendation: part of the intake batch, so both commit together. */
export function finishKeyStatement(db: D1Database, keyHash: string, recId: string): D1PreparedStatement {
  return db.prepare("UPDATE idempotency SET rec_id = ?2 WHERE key_hash = ?1").bind(keyHash, recId);
}

/** Gives an unfinished key back after a failure before the commit, so a retry can succeed. */
export async function releaseKey(db: D1Database, keyHash: string): Promise<void> {
  await db.prepare("DELETE FROM idempotency WHERE key_hash = ? AND rec_id IS NULL").bind(keyHash).run();
}

export async function findKey(db: D1Database, keyHash: string) {
  const [found] = await drizzle(db).select().from(idempotency).where(eq(idempotency.keyHash, keyHash));
  return found;
}

/** A key is needed only as long as a client might repeat its request: a day. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Deletes keys older than a day (the scheduled housekeeping). */
export async function deleteOldKeys(db: D1Database, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - KEY_TTL_MS).toISOString();
  await db.prepare("DELETE FROM idempotency WHERE created_at < ?").bind(before).run();
}
