import { countByStep } from "../db/recommendations.ts";
import { countByCategory, countByCountry, filingFacts, labelsOf } from "../db/stats.ts";
import { byProgramme, median, multilateralGaps, type Statistics } from "../domain/stats.ts";

/** Gaps listed with their reference and target (all are counted). */
const GAPS_LISTED = 100;

/** The coalition's figures, as `GET /api/v1/stats` and `/dashboard` show them. */
export async function statistics(env: Env): Promise<Statistics> {
  const [by_step, by_country, by_category, filings] = await Promise.all([
    countByStep(env.DB, {}),
    countByCountry(env.DB),
    countByCategory(env.DB),
    filingFacts(env.DB),
  ]);
  const gaps = multilateralGaps(filings);
  const listed = gaps.slice(0, GAPS_LISTED);
  const labels = await labelsOf(
    env.DB,
    listed.map((g) => g.rec_id),
  );
  return {
    total: Object.values(by_step).reduce((a, b) => a + b, 0),
    by_step,
    by_country,
    by_category,
    by_programme: byProgramme(filings),
    median_days: median(filings.flatMap((f) => (f.outcome === "designated" && f.days !== null ? [f.days] : []))),
    multilateral: {
      count: gaps.length,
      items: listed.map((g) => ({
        ...g,
        reference: labels.get(g.rec_id)?.reference ?? "",
        target: labels.get(g.rec_id)?.target ?? "",
      })),
    },
  };
}
