import type { Filing } from "../domain/filings.ts";

/** What the queue row and the filings mirror of a recommendation's object (durable/recommendation.ts). */
export interface Projection {
  id: string;
  step: string;
  assignee: string | null;
  overdue: boolean;
  dueAt: string | null;
  updatedAt: string;
  eventSeq: number;
  headHash: string;
  filings: readonly Filing[];
  repliedAt: string | null;
}

/**
 * Writes the object's state into the queue row. Guarded by event seq so a
 * late or retried write never overwrites a newer one; `force` also rewrites
 * a row that claims the same seq (reconciliation).
 */
export async function writeProjection(db: D1Database, p: Projection, force = false): Promise<void> {
  const followUp = p.filings.filter((f) => f.follow_up_due && !f.outcome).length;
  await db.batch([
    db
      .prepare(
        `UPDATE queue SET step = ?2, assignee = ?3, overdue = ?4, due_at = ?5, updated_at = ?6, event_seq = ?7,
           head_hash = ?9, follow_up = ?10, replied_at = ?11
         WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?1) AND (event_seq < ?7 OR (?8 AND event_seq = ?7))`,
      )
      .bind(
        p.id,
        p.step,
        p.assignee,
        p.overdue ? 1 : 0,
        p.dueAt,
        p.updatedAt,
        p.eventSeq,
        force ? 1 : 0,
        p.headHash,
        followUp,
        p.repliedAt,
      ),
    ...p.filings.map((f) =>
      db
        .prepare(
          `INSERT INTO filings (id, rec_id, programme, filed_on, channel, addressee, government_reference, note,
             packet_sha256, filed_by, outcome, outcome_on, outcome_targets, list_reference, source_url, outcome_by,
             follow_up_due, event_seq)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
           ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, outcome_on = excluded.outcome_on,
             outcome_targets = excluded.outcome_targets, list_reference = excluded.list_reference,
             source_url = excluded.source_url, outcome_by = excluded.outcome_by,
             follow_up_due = excluded.follow_up_due, event_seq = excluded.event_seq
           WHERE filings.event_seq < excluded.event_seq OR (?19 AND filings.event_seq = excluded.event_seq)`,
        )
        .bind(
          f.id,
          p.id,
          f.programme,
          f.filed_on,
          f.channel,
          f.addressee,
          f.government_reference,
          f.note,
          f.packet_sha256,
          f.filed_by,
          f.outcome?.outcome ?? null,
          f.outcome?.on ?? null,
          f.outcome?.targets ? JSON.stringify(f.outcome.targets) : null,
          f.outcome?.list_reference ?? null,
          f.outcome?.source_url ?? null,
          f.outcome?.by ?? null,
          f.follow_up_due ? 1 : 0,
          p.eventSeq,
          force ? 1 : 0,
        ),
    ),
  ]);
}
