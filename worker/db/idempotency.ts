import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotency } from "./schema.ts";

/** Takes the key for this request; false when an earlier request holds it. */
export async function claimKey(db: D1Database, keyHash: string, bodyHash: string): Promise<boolean> {
  const rows = await drizzle(db)
    .insert(idempotency)
    .values({ keyHash, bodyHash, createdAt: new Date().toISOString() })
    .onConflictDoNothing()
    .returning({ keyHash: idempotency.keyHash });
  return rows.length === 1;
}

export async function finishKey(db: D1Database, keyHash: string, recId: string): Promise<void> {
  await drizzle(db).update(idempotency).set({ recId }).where(eq(idempotency.keyHash, keyHash));
}

/** Gives an unfinished key back after a failure, so a retry can succeed. */
export async function releaseKey(db: D1Database, keyHash: string): Promise<void> {
  await drizzle(db)
    .delete(idempotency)
    .where(and(eq(idempotency.keyHash, keyHash), isNull(idempotency.recId)));
}

export async function findKey(db: D1Database, keyHash: string) {
  const [found] = await drizzle(db).select().from(idempotency).where(eq(idempotency.keyHash, keyHash));
  return found;
}
