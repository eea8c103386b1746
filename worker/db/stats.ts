import { PROGRAMME_COUNTRY } from "../domain/filings.ts";
import { type Answer, type DesignationDays, type Gap, GOVERNMENTS, gapOf, type OutcomeCount } from "../domain/stats.ts";

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
 * The multilateral gaps, counted in the database: each recommendation that
 * some governments designated and not all (a government once, whatever its
 * programmes). The first `listed` in intake order come with their reference,
 * target and every filing's answer; the Worker never reads every filing.
 */
export async function multilateralGaps(
  db: D1Database,
  listed: number,
): Promise<{ count: number; items: (Gap & { reference: string; target: string })[] }> {
  const rows = await db
    .prepare(
      `WITH gaps AS (
         SELECT rec_id FROM filings GROUP BY rec_id
         HAVING COUNT(DISTINCT CASE WHEN outcome = 'designated' THEN json_extract(?1, '$.' || programme) END)
           BETWEEN 1 AND ?2 - 1
       ), first AS (
         SELECT r.seq FROM gaps JOIN recommendations r ON r.id = gaps.rec_id ORDER BY r.seq LIMIT ?3
       )
       SELECT (SELECT COUNT(*) FROM gaps) AS count, r.id, r.reference, r.target_name,
         (SELECT json_group_array(json_object('programme', programme, 'outcome', outcome))
          FROM filings f WHERE f.rec_id = r.id) AS answers
       FROM first JOIN recommendations r ON r.seq = first.seq ORDER BY r.seq`,
    )
    .bind(JSON.stringify(PROGRAMME_COUNTRY), GOVERNMENTS.length, listed)
    .all<{ count: number; id: string; reference: string; target_name: string; answers: string }>();
  return {
    count: rows.results[0]?.count ?? 0,
    items: rows.results.map((r) => ({
      ...gapOf(r.id, JSON.parse(r.answers) as Answer[]),
      reference: r.reference,
      target: r.target_name,
    })),
  };
}
