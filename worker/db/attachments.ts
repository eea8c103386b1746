import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { HELD_BY_DRAFT } from "./drafts.ts";
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

/**
 * The finished, not yet attached uploads among `ids`. The ids travel as one
 * JSON parameter (json_each), so no list can reach D1's limit of bound parameters.
 */
export async function findUnattached(db: D1Database, ids: readonly string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .prepare("SELECT * FROM attachments WHERE rec_seq IS NULL AND id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<Record<string, unknown>>();
  return rows.results.map(fromRow);
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

export type LateAttach = "attached" | "too_many" | "unknown";

/**
 * Ties finished uploads to an existing recommendation (late evidence), all
 * or none, and only while the recommendation keeps at most `max` files. One
 * statement, so two submitters' requests cannot both slip under the limit.
 */
export async function attachLate(
  db: D1Database,
  recId: string,
  ids: readonly string[],
  max: number,
): Promise<LateAttach> {
  const list = JSON.stringify(ids);
  const seq = "(SELECT seq FROM recommendations WHERE id = ?1)";
  const unclaimed =
    "(SELECT count(*) FROM attachments WHERE rec_seq IS NULL AND id IN (SELECT value FROM json_each(?2)))";
  const [attach, held] = await db.batch<{ n: number }>([
    db
      .prepare(
        `UPDATE attachments SET rec_seq = ${seq}
         WHERE rec_seq IS NULL AND id IN (SELECT value FROM json_each(?2))
           AND ${unclaimed} = json_array_length(?2)
           AND (SELECT count(*) FROM attachments WHERE rec_seq = ${seq}) <= ?3`,
      )
      .bind(recId, list, max - ids.length),
    db.prepare(`SELECT count(*) AS n FROM attachments WHERE rec_seq = ${seq}`).bind(recId),
  ]);
  if (attach?.meta.changes === ids.length) return "attached";
  return (held?.results[0]?.n ?? 0) + ids.length > max ? "too_many" : "unknown";
}

/** Undoes attachLate when the workflow refused the evidence after all. */
export async function detachLate(db: D1Database, recId: string, ids: readonly string[]): Promise<void> {
  await db
    .prepare(
      `UPDATE attachments SET rec_seq = NULL
       WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?1) AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(recId, JSON.stringify(ids))
    .run();
}

/** Files nobody attached to a recommendation, last touched before `before` (the sweep takes a batch at a time). */
/** Unattached files that arrived before `before`, except those a draft still holds at `now`. */
export async function listUnattachedBefore(
  db: D1Database,
  before: string,
  limit: number,
  now: string,
): Promise<AttachmentRow[]> {
  const held = HELD_BY_DRAFT.replace("{id}", "attachments.id").replace("{now}", "?3");
  const rows = await db
    .prepare(
      `SELECT * FROM attachments WHERE rec_seq IS NULL AND created_at < ?1 AND NOT ${held} ORDER BY created_at LIMIT ?2`,
    )
    .bind(before, limit, now)
    .all<Record<string, unknown>>();
  return rows.results.map(fromRow);
}

/**
 * Deletes the rows of files that are still unattached (one attached
 * meanwhile stays) and answers the storage keys of those it deleted.
 */
export async function deleteUnattached(db: D1Database, ids: readonly string[]): Promise<string[]> {
  const rows = await db
    .prepare(
      `DELETE FROM attachments WHERE rec_seq IS NULL AND id IN (SELECT value FROM json_each(?))
       RETURNING original_key, clean_key`,
    )
    .bind(JSON.stringify(ids))
    .all<{ original_key: string; clean_key: string | null }>();
  return rows.results.flatMap((r) => [r.original_key, ...(r.clean_key ? [r.clean_key] : [])]);
}

/** Records that a coordinator let reviewers have a file that keeps its metadata (once). */
export async function markReleased(db: D1Database, id: string, staffId: string, at: string): Promise<void> {
  await db
    .prepare("UPDATE attachments SET released_by = ?2, released_at = ?3 WHERE id = ?1 AND released_at IS NULL")
    .bind(id, staffId, at)
    .run();
}

/** A raw row (snake_case, from a query drizzle cannot express) in drizzle's shape. */
function fromRow(r: Record<string, unknown>): AttachmentRow {
  return {
    id: r.id as string,
    recSeq: (r.rec_seq as number | null) ?? null,
    filename: r.filename as string,
    contentType: r.content_type as string,
    size: r.size as number,
    sha256: r.sha256 as string,
    cleanKey: (r.clean_key as string | null) ?? null,
    originalKey: r.original_key as string,
    metadataFound: (r.metadata_found as string | null) ?? null,
    cleaned: r.cleaned === 1,
    releasedBy: (r.released_by as string | null) ?? null,
    releasedAt: (r.released_at as string | null) ?? null,
    purgedAt: (r.purged_at as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}
