import { type AuditBody, type AuditEntry, nextAudit } from "../domain/audit.ts";

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: AuditEntry["action"];
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const ATTEMPTS = 20;

function entryOf(row: AuditRow): AuditEntry {
  return { ...row, details: JSON.parse(row.details) };
}

/**
 * Appends an entry after the current head. Two writers may read the same
 * head; the primary key on `seq` lets only one of them in, and the other
 * reads the new head and tries again.
 */
export async function appendAudit(db: D1Database, body: AuditBody): Promise<AuditEntry> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const head = await db
      .prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
      .first<{ seq: number; hash: string }>();
    const entry = await nextAudit(body, head);
    const inserted = await db
      .prepare(
        `INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING`,
      )
      .bind(
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.subject,
        JSON.stringify(entry.details),
        entry.prev_hash,
        entry.hash,
      )
      .run();
    if (inserted.meta.changes === 1) return entry;
  }
  throw new Error("the audit log is too busy to append to");
}

/** Entries after `afterSeq`, oldest first. */
export async function listAudit(db: D1Database, afterSeq: number, limit: number): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?")
    .bind(afterSeq, limit)
    .all<AuditRow>();
  return results.map(entryOf);
}

/** The newest entries, newest first. */
export async function latestAudit(db: D1Database, limit: number): Promise<AuditEntry[]> {
  const { results } = await db.prepare("SELECT * FROM audit ORDER BY seq DESC LIMIT ?").bind(limit).all<AuditRow>();
  return results.map(entryOf);
}

/** The entry `seq`, for checking that a page continues the chain before it. */
export async function auditAt(db: D1Database, seq: number): Promise<{ seq: number; hash: string } | null> {
  return db.prepare("SELECT seq, hash FROM audit WHERE seq = ?").bind(seq).first<{ seq: number; hash: string }>();
}
