import type { Filing, Outcome } from "../domain/filings.ts";

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
