import { and, eq, inArray, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { attachments } from "./schema.ts";

export type AttachmentRow = typeof attachments.$inferSelect;

export async function insertAttachment(db: D1Database, row: typeof attachments.$inferInsert): Promise<void> {
  await drizzle(db).insert(attachments).values(row).onConflictDoNothing();
}

export async function findAttachment(db: D1Database, id: string): Promise<AttachmentRow | undefined> {
  const [found] = await drizzle(db).select().from(attachments).where(eq(attachments.id, id));
  return found;
}

export async function listAttachments(db: D1Database, recSeq: number): Promise<AttachmentRow[]> {
  return drizzle(db).select().from(attachments).where(eq(attachments.recSeq, recSeq)).orderBy(attachments.createdAt);
}

/** The finished, not yet attached uploads among `ids`. */
export async function findUnattached(db: D1Database, ids: readonly string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return drizzle(db)
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, [...ids]), isNull(attachments.recSeq)));
}

/**
 * Ties finished uploads to a recommendation; only uploads nobody has claimed
 * yet, so one upload can never end up in two recommendations.
 */
export function attachStatement(db: D1Database, recId: string, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE attachments SET rec_seq = (SELECT seq FROM recommendations WHERE id = ?1)
       WHERE rec_seq IS NULL AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(recId, JSON.stringify(ids));
}

export async function deleteAttachment(db: D1Database, id: string): Promise<void> {
  await drizzle(db).delete(attachments).where(eq(attachments.id, id));
}
