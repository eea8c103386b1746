import type { FileHash } from "../domain/event-log.ts";

/** A recommendation's files whose original is still stored, oldest first. */
export async function unpurgedFiles(db: D1Database, recId: string): Promise<FileHash[]> {
  const rows = await db
    .prepare(
      `SELECT a.id, a.sha256 FROM attachments a JOIN recommendations r ON a.rec_seq = r.seq
       WHERE r.id = ? AND a.purged_at IS NULL ORDER BY a.created_at, a.id`,
    )
    .bind(recId)
    .all<FileHash>();
  return rows.results;
}

/**
 * What a purge deletes in D1, once its event is logged: the sealed fields
 * (contact details, safety notes), the notices still to be mailed to the
 * submitter (their address went with them), and each purged file's claim to
 * an original. Gives the stored originals to delete. Idempotent: a purge cut
 * short runs again whole.
 */
export async function purgeRows(db: D1Database, recId: string, fileIds: readonly string[], at: string) {
  const files = JSON.stringify(fileIds);
  const [keys] = await db.batch<{ original_key: string }>([
    db.prepare("SELECT original_key FROM attachments WHERE id IN (SELECT value FROM json_each(?))").bind(files),
    db
      .prepare("UPDATE recommendations SET sealed = '', purged_at = coalesce(purged_at, ?) WHERE id = ?")
      .bind(at, recId),
    db.prepare("DELETE FROM submitter_notices WHERE rec_id = ?").bind(recId),
    db.prepare("DELETE FROM mail_log WHERE recipient = ?").bind(`submitter:${recId}`),
    db
      .prepare("UPDATE attachments SET purged_at = coalesce(purged_at, ?) WHERE id IN (SELECT value FROM json_each(?))")
      .bind(at, files),
  ]);
  return (keys?.results ?? []).map((row) => row.original_key);
}
