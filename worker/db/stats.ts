import type { FilingFact } from "../domain/stats.ts";

/** What the statistics count, each one query over an index (recommendations' country, categories, filings). */

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

/** Every filing with its outcome and the days from filing to it. */
export async function filingFacts(db: D1Database): Promise<FilingFact[]> {
  const rows = await db
    .prepare(
      `SELECT rec_id, programme, outcome,
         CASE WHEN outcome_on IS NULL THEN NULL ELSE julianday(outcome_on) - julianday(filed_on) END AS days
       FROM filings`,
    )
    .all<FilingFact>();
  return rows.results;
}

/** References and target names of some recommendations. */
export async function labelsOf(
  db: D1Database,
  ids: readonly string[],
): Promise<Map<string, { reference: string; target: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .prepare("SELECT id, reference, target_name FROM recommendations WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<{ id: string; reference: string; target_name: string }>();
  return new Map(rows.results.map((r) => [r.id, { reference: r.reference, target: r.target_name }]));
}
