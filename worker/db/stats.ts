import { PROGRAMME_COUNTRY } from "../domain/filings.ts";
import { type DesignationDays, type Gap, GOVERNMENTS, gapOf, type OutcomeCount, STANDING } from "../domain/stats.ts";

/** What the statistics count, each in one query, so the Worker reads figures and not rows. */

export async function countByCountry(db: D1Database): Promise<Record<string, number>> {
  const rows = await db
    .prepare("SELECT conduct_country AS key, COUNT(*) AS n FROM recommendations GROUP BY conduct_country")
    .all<{ key: string; n: number }>();
  return Object.fromEntries(rows.results.map((r) => [r.key, r.n]));
}

export async function countByCategory(db: D1Database): Promise<Record<string, number>> {
  const rows = await db
    .prepare("SELECT category AS key, COUNT(*) AS n FROM recommendation_categories GROUP BY category")
    .all<{ key: string; n: number }>();
  return Object.fromEntries(rows.results.map((r) => [r.key, r.n]));
}

/** Filings counted by programme and outcome (from the index on both). */
export async function outcomeCounts(db: D1Database): Promise<OutcomeCount[]> {
  const rows = await db
    .prepare("SELECT programme, outcome, COUNT(*) AS n FROM filings GROUP BY programme, outcome")
    .all<OutcomeCount>();
  return rows.results;
}

/** Every designated filing's days from filing to designation. */
export async function designationDays(db: D1Database): Promise<DesignationDays[]> {
  const rows = await db
    .prepare(
      `SELECT programme, julianday(outcome_on) - julianday(filed_on) AS days
       FROM filings WHERE outcome = 'designated' AND outcome_on IS NOT NULL`,
    )
    .all<DesignationDays>();
  return rows.results;
}

/**
 * The multilateral gaps, counted in the database: each recommendation
 * designated somewhere, each asked government's standing on it (the best
 * answer under any of its programmes), kept when fewer than every government
 * designated. The first `listed` in intake order come with their reference
 * and target; the Worker never reads every filing.
 */
export async function multilateralGaps(
  db: D1Database,
  listed: number,
): Promise<{ count: number; items: (Gap & { reference: string; target: string })[] }> {
  const rows = await db
    .prepare(
      `WITH standing AS (
         SELECT rec_id, json_extract(?1, '$.' || programme) AS government,
           MAX(CASE WHEN outcome = 'designated' THEN ?2 WHEN outcome IS NULL THEN ?3 ELSE ?4 END) AS standing
         FROM filings
         WHERE rec_id IN (SELECT rec_id FROM filings WHERE outcome = 'designated')
         GROUP BY rec_id, government HAVING government IS NOT NULL
       ), gaps AS (
         SELECT rec_id, json_group_object(government, standing) AS standings FROM standing
         GROUP BY rec_id HAVING SUM(standing = ?2) < ?5
       )
       SELECT (SELECT COUNT(*) FROM gaps) AS count, g.rec_id, g.standings, r.reference, r.target_name
       FROM gaps g JOIN recommendations r ON r.id = g.rec_id
       ORDER BY r.seq LIMIT ?6`,
    )
    .bind(
      JSON.stringify(PROGRAMME_COUNTRY),
      STANDING.designated,
      STANDING.awaiting,
      STANDING.declined,
      GOVERNMENTS.length,
      listed,
    )
    .all<{ count: number; rec_id: string; standings: string; reference: string; target_name: string }>();
  return {
    count: rows.results[0]?.count ?? 0,
    items: rows.results.map((r) => ({
      ...gapOf(r.rec_id, JSON.parse(r.standings) as Record<string, number>),
      reference: r.reference,
      target: r.target_name,
    })),
  };
}
