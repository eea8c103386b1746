import type { InboxItem, Notice } from "../domain/notifications.ts";

/** One inbox row per person and notice (a redelivered notice adds none), and the submitter's waiting message. */
export function fileStatements(db: D1Database, notice: Notice, recipients: readonly string[]): D1PreparedStatement[] {
  const rows = recipients.map((staffId) =>
    db
      .prepare(
        `INSERT INTO inbox (staff_id, rec_id, kind, event_seq, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (staff_id, rec_id, kind, event_seq) DO NOTHING`,
      )
      .bind(staffId, notice.recId, notice.kind, notice.seq, notice.at),
  );
  if (notice.kind === "to_submitter") {
    rows.push(
      db
        .prepare("INSERT INTO submitter_notices (rec_id, since) VALUES (?, ?) ON CONFLICT (rec_id) DO NOTHING")
        .bind(notice.recId, notice.at),
    );
  }
  return rows;
}

/** Someone's newest unread items (`inbox_unread_newest` read backwards), each with its recommendation's reference. */
export const UNREAD_NEWEST = `SELECT i.rec_id AS recId, r.reference, i.kind, i.at FROM inbox i JOIN recommendations r ON r.id = i.rec_id
  WHERE i.staff_id = ? AND i.read_at IS NULL ORDER BY i.at DESC, i.id DESC LIMIT ?`;

/** Someone's unread items, newest first, with the reference of each recommendation. */
export async function unreadOf(
  db: D1Database,
  staffId: string,
  limit = 50,
): Promise<{ items: InboxItem[]; total: number }> {
  const [items, total] = await db.batch<InboxItem | { n: number }>([
    db.prepare(UNREAD_NEWEST).bind(staffId, limit),
    db.prepare("SELECT count(*) AS n FROM inbox WHERE staff_id = ? AND read_at IS NULL").bind(staffId),
  ]);
  return { items: (items?.results ?? []) as InboxItem[], total: ((total?.results[0] as { n: number }) ?? { n: 0 }).n };
}

/** Marks read what this person had unread, about one recommendation or all. */
/** Inbox items read before `before`: the log keeps what they pointed to. */
export async function deleteReadBefore(db: D1Database, before: string): Promise<void> {
  await db.prepare("DELETE FROM inbox WHERE read_at < ?").bind(before).run();
}

export async function markRead(db: D1Database, staffId: string, recId: string | null, at: string): Promise<void> {
  await db
    .prepare("UPDATE inbox SET read_at = ? WHERE staff_id = ? AND read_at IS NULL AND (?3 IS NULL OR rec_id = ?3)")
    .bind(at, staffId, recId)
    .run();
}

/** A staff digest to send: the person, where to, and their unread items nobody mailed yet. */
export interface StaffDigest {
  staffId: string;
  email: string;
  locale: string;
  items: InboxItem[];
}

/**
 * Staff who want mail, have unread items not mailed yet, and were not mailed
 * since `since` (the interval), each with those items (at most 50 shown).
 */
export async function dueStaffDigests(db: D1Database, since: string, limit = 50): Promise<StaffDigest[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id AS staffId, s.email, s.locale, i.rec_id AS recId, r.reference, i.kind, i.at
       FROM (SELECT DISTINCT staff_id FROM inbox WHERE mailed_at IS NULL AND read_at IS NULL LIMIT ?2) d
       JOIN staff s ON s.id = d.staff_id AND s.disabled_at IS NULL AND s.mail = 1
       LEFT JOIN mail_log m ON m.recipient = s.id
       JOIN inbox i ON i.staff_id = s.id AND i.mailed_at IS NULL AND i.read_at IS NULL
       JOIN recommendations r ON r.id = i.rec_id
       WHERE m.last_at IS NULL OR m.last_at <= ?1
       ORDER BY s.id, i.at DESC`,
    )
    .bind(since, limit)
    .all<{ staffId: string; email: string; locale: string } & InboxItem>();
  const digests = new Map<string, StaffDigest>();
  for (const { staffId, email, locale, ...item } of results) {
    const digest = digests.get(staffId) ?? { staffId, email, locale, items: [] };
    digest.items.push(item);
    digests.set(staffId, digest);
  }
  return [...digests.values()];
}

/** After a staff mail went: its items are mailed, and the person's interval starts again. */
export function staffMailedStatements(db: D1Database, staffId: string, at: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "UPDATE inbox SET mailed_at = ? WHERE staff_id = ? AND mailed_at IS NULL AND read_at IS NULL AND at <= ?",
      )
      .bind(at, staffId, at),
    mailedStatement(db, staffId, at),
  ];
}

export function mailedStatement(db: D1Database, recipient: string, at: string): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO mail_log (recipient, last_at) VALUES (?, ?) ON CONFLICT (recipient) DO UPDATE SET last_at = excluded.last_at",
    )
    .bind(recipient, at);
}

/** Submitters with a message waiting whose last mail (if any) is older than `since`, with their sealed contact and language. */
export async function dueSubmitterNotices(
  db: D1Database,
  since: string,
  limit = 50,
): Promise<{ recId: string; seq: number; language: string; sealed: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT n.rec_id AS recId, r.seq, r.language, r.sealed FROM submitter_notices n
       JOIN recommendations r ON r.id = n.rec_id
       LEFT JOIN mail_log m ON m.recipient = 'submitter:' || n.rec_id
       WHERE m.last_at IS NULL OR m.last_at <= ? ORDER BY n.since LIMIT ?`,
    )
    .bind(since, limit)
    .all<{ recId: string; seq: number; language: string; sealed: string }>();
  return results;
}

/** The waiting message is told (or there is nobody to tell): the notice goes; a mail that went starts the interval. */
export function submitterToldStatements(db: D1Database, recId: string, mailedAt: string | null): D1PreparedStatement[] {
  const done = db.prepare("DELETE FROM submitter_notices WHERE rec_id = ?").bind(recId);
  return mailedAt ? [done, mailedStatement(db, `submitter:${recId}`, mailedAt)] : [done];
}
