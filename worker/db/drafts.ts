/** Saves a draft under the hash of its code (a new one, or the same code saved again), for 30 more days. */
export async function putDraft(
  db: D1Database,
  draft: { codeHash: string; sealed: string; savedAt: string; expiresAt: string; files: readonly string[] },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO drafts (code_hash, sealed, saved_at, expires_at, files) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (code_hash) DO UPDATE SET sealed = ?2, saved_at = ?3, expires_at = ?4, files = ?5`,
    )
    .bind(draft.codeHash, draft.sealed, draft.savedAt, draft.expiresAt, JSON.stringify(draft.files))
    .run();
}

/** SQL: the upload `id` is held by a draft that has not expired at `now` (bound as ?2 and ?3 below). */
export const HELD_BY_DRAFT =
  "EXISTS (SELECT 1 FROM drafts, json_each(drafts.files) AS f WHERE f.value = {id} AND drafts.expires_at > {now})";

/** Whether a live draft holds the upload `id` (then it is kept, as the draft is). */
export async function heldByDraft(db: D1Database, id: string, now: string): Promise<boolean> {
  const sql = `SELECT ${HELD_BY_DRAFT.replace("{id}", "?1").replace("{now}", "?2")} AS held`;
  return (await db.prepare(sql).bind(id, now).first<number>("held")) === 1;
}

/** The sealed content of a draft that has not expired, or null. */
export async function findDraft(db: D1Database, codeHash: string, now: string): Promise<string | null> {
  return db
    .prepare("SELECT sealed FROM drafts WHERE code_hash = ? AND expires_at > ?")
    .bind(codeHash, now)
    .first<string>("sealed");
}

export async function deleteDraft(db: D1Database, codeHash: string): Promise<void> {
  await db.prepare("DELETE FROM drafts WHERE code_hash = ?").bind(codeHash).run();
}

export async function deleteExpiredDrafts(db: D1Database, now: string): Promise<void> {
  await db.prepare("DELETE FROM drafts WHERE expires_at <= ?").bind(now).run();
}
