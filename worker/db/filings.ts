import type { Filing, Outcome, Suggestion } from "../domain/filings.ts";

/** D1's copy of the filings (the recommendation's object is their writer: db/queue.ts writes them). */

interface FilingRow {
  id: string;
  programme: Filing["programme"];
  filed_on: string;
  channel: Filing["channel"];
  addressee: string;
  government_reference: string | null;
  note: string | null;
  packet_sha256: string | null;
  filed_by: string;
  outcome: Outcome | null;
  outcome_on: string | null;
  outcome_targets: string | null;
  list_reference: string | null;
  source_url: string | null;
  outcome_by: string | null;
  follow_up_due: number;
}

function filingOf(row: FilingRow): Filing {
  return {
    id: row.id,
    programme: row.programme,
    filed_on: row.filed_on,
    channel: row.channel,
    addressee: row.addressee,
    government_reference: row.government_reference,
    note: row.note,
    packet_sha256: row.packet_sha256,
    filed_by: row.filed_by,
    follow_up_due: row.follow_up_due === 1,
    outcome: row.outcome
      ? {
          outcome: row.outcome,
          on: row.outcome_on ?? "",
          targets: row.outcome_targets ? (JSON.parse(row.outcome_targets) as number[]) : null,
          list_reference: row.list_reference,
          source_url: row.source_url,
          by: row.outcome_by ?? "",
        }
      : null,
  };
}

/** A recommendation's filings, in the order filed. */
export async function filingsOf(db: D1Database, recId: string): Promise<Filing[]> {
  const rows = await db
    .prepare("SELECT * FROM filings WHERE rec_id = ? ORDER BY filed_on, rowid")
    .bind(recId)
    .all<FilingRow>();
  return rows.results.map(filingOf);
}

/** The filings of some recommendations (one page of an export), by recommendation. */
export async function filingsOfMany(db: D1Database, recIds: readonly string[]): Promise<Map<string, Filing[]>> {
  const found = new Map<string, Filing[]>();
  if (recIds.length === 0) return found;
  const rows = await db
    .prepare("SELECT * FROM filings WHERE rec_id IN (SELECT value FROM json_each(?)) ORDER BY rec_id, filed_on, rowid")
    .bind(JSON.stringify(recIds))
    .all<FilingRow & { rec_id: string }>();
  for (const row of rows.results) found.set(row.rec_id, [...(found.get(row.rec_id) ?? []), filingOf(row)]);
  return found;
}

/** Filings still awaiting an answer, of some recommendations. */
export async function pendingFilings(
  db: D1Database,
  recIds: readonly string[],
): Promise<{ id: string; rec_id: string; programme: Filing["programme"] }[]> {
  if (recIds.length === 0) return [];
  const rows = await db
    .prepare(
      "SELECT id, rec_id, programme FROM filings WHERE outcome IS NULL AND rec_id IN (SELECT value FROM json_each(?))",
    )
    .bind(JSON.stringify([...new Set(recIds)]))
    .all<{ id: string; rec_id: string; programme: Filing["programme"] }>();
  return rows.results;
}

/** A suggestion kept once (a later import finding it again changes nothing). */
export function suggestStatement(db: D1Database, s: Suggestion) {
  return db
    .prepare(
      `INSERT OR IGNORE INTO suggested_outcomes (filing_id, target_index, entity_id, rec_id, programme, name, score,
         reasons, datasets, programs, suggested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      s.filing_id,
      s.target_index,
      s.entity_id,
      s.rec_id,
      s.programme,
      s.name,
      s.score,
      s.reasons,
      s.datasets,
      s.programs,
      s.suggested_at,
    );
}

/** Suggestions that no longer stand: the entity left the lists. */
export function forgetEntityStatement(db: D1Database, entityId: string) {
  return db.prepare("DELETE FROM suggested_outcomes WHERE entity_id = ?").bind(entityId);
}

/** A filing answered needs no suggestion any more. */
export function settledStatement(db: D1Database, filingId: string) {
  return db.prepare("DELETE FROM suggested_outcomes WHERE filing_id = ?").bind(filingId);
}

export async function suggestionsOf(db: D1Database, recId: string): Promise<Suggestion[]> {
  const rows = await db
    .prepare("SELECT * FROM suggested_outcomes WHERE rec_id = ? ORDER BY filing_id, target_index, score DESC")
    .bind(recId)
    .all<Suggestion>();
  return rows.results;
}
