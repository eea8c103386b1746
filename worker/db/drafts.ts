/** Saves a draft under the hash of its code (a new one, or the same code saved again), for 30 more days. */
export async function putDraft(
  db: D1Database,
  draft: { codeHash: string; sealed: string; savedAt: string; expiresAt: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO drafts (code_hash, sealed, saved_at, expires_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (code_hash) DO UPDATE SET sealed = ?2, saved_at = ?3, expires_at = ?4`,
    )
    .bind(draft.codeHash, draft.sealed, draft.savedAt, draft.expiresAt)
    .run();
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
