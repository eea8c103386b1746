/** What the queue row mirrors of a recommendation's object (durable/recommendation.ts). */
export interface Projection {
  id: string;
  step: string;
  assignee: string | null;
  overdue: boolean;
  dueAt: string | null;
  updatedAt: string;
  eventSeq: number;
  headHash: string;
}

/**
 * Writes the object's state into the queue row. Guarded by event seq so a
 * late or retried write never overwrites a newer one; `force` also rewrites
 * a row that claims the same seq (reconciliation).
 */
export async function writeProjection(db: D1Database, p: Projection, force = false): Promise<void> {
  await db
    .prepare(
      `UPDATE queue SET step = ?2, assignee = ?3, overdue = ?4, due_at = ?5, updated_at = ?6, event_seq = ?7,
         head_hash = ?9
       WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?1) AND (event_seq < ?7 OR (?8 AND event_seq = ?7))`,
    )
    .bind(p.id, p.step, p.assignee, p.overdue ? 1 : 0, p.dueAt, p.updatedAt, p.eventSeq, force ? 1 : 0, p.headHash)
    .run();
}
