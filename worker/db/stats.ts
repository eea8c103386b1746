import { PROGRAMME_COUNTRY } from "../domain/filings.ts";
import { type Answer, type Gap, GOVERNMENTS, gapOf, type MedianDays, type OutcomeCount } from "../domain/stats.ts";

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

/**
 * The median days from filing to designation under each of `programmes`, and
 * over all of them (programme null; null days when nothing was designated).
 * Each is read off the middle of an index that holds the days in order
 * (`filings_days`, `filings_days_all`): no filing is read, nothing sorted.
 */
export async function designationMedians(db: D1Database, programmes: readonly string[]): Promise<MedianDays[]> {
  const designated = "FROM filings WHERE outcome = 'designated' AND outcome_on IS NOT NULL";
  // The middle one of an odd count, the middle two of an even one (averaged).
  const median = (programme: string, where: string) =>
    db.prepare(`SELECT ${programme} AS programme, AVG(days) AS days FROM (
       SELECT julianday(outcome_on) - julianday(filed_on) AS days ${designated}${where} ORDER BY days
       LIMIT 2 - (SELECT COUNT(*) ${designated}${where}) % 2 OFFSET ((SELECT COUNT(*) ${designated}${where}) - 1) / 2)`);
  // One statement each, in one round trip: D1 allows few terms in a compound SELECT.
  const each = programmes.map((programme) => median("?1", " AND programme = ?1").bind(programme));
  const results = await db.batch<MedianDays>([...each, median("NULL", "")]);
  return results.flatMap((r) => r.results);
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
