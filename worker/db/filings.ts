import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Filing, Suggestion } from "../domain/filings.ts";
import { filings } from "./schema.ts";

/** D1's copy of the filings (the recommendation's object is their writer: db/queue.ts writes them). */

type FilingRow = typeof filings.$inferSelect;

function filingOf(row: FilingRow): Filing {
  return {
    id: row.id,
    programme: row.programme as Filing["programme"],
    filed_on: row.filedOn,
    channel: row.channel as Filing["channel"],
    addressee: row.addressee,
    government_reference: row.governmentReference,
    note: row.note,
    packet_sha256: row.packetSha256,
    filed_by: row.filedBy,
    follow_up_due: row.followUpDue === 1,
    outcome: row.outcome
      ? {
          outcome: row.outcome,
          on: row.outcomeOn ?? "",
          targets: row.outcomeTargets ? (JSON.parse(row.outcomeTargets) as number[]) : null,
          list_reference: row.listReference,
          source_url: row.sourceUrl,
          by: row.outcomeBy ?? "",
        }
      : null,
  };
}

/** Filings in the order they were filed (rows of the same day: as written). */
export const filingOrder = [filings.filedOn, sql`${filings}.rowid`] as const;

/** A recommendation's filings, in the order filed. */
export async function filingsOf(db: D1Database, recId: string): Promise<Filing[]> {
  const rows = await drizzle(db)
    .select()
    .from(filings)
    .where(eq(filings.recId, recId))
    .orderBy(...filingOrder);
  return rows.map(filingOf);
}

/** Filings of several recommendations (rows in the order filed), by recommendation. */
export function filingsByRecommendation(rows: readonly FilingRow[]): Map<string, Filing[]> {
  const found = new Map<string, Filing[]>();
  for (const row of rows) found.set(row.recId, [...(found.get(row.recId) ?? []), filingOf(row)]);
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
