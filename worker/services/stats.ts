import { countByStep } from "../db/recommendations.ts";
import { countByCategory, countByCountry, designationMedians, multilateralGaps, outcomeCounts } from "../db/stats.ts";
import { JURISDICTIONS } from "../domain/recommendation.ts";
import { byProgramme, overallMedian, type Statistics } from "../domain/stats.ts";

/** Gaps listed with their reference and target (all are counted). */
const GAPS_LISTED = 100;

/** The coalition's figures, as `GET /api/v1/stats` and `/dashboard` show them. */
export async function statistics(env: Env): Promise<Statistics> {
  const [by_step, by_country, by_category, outcomes, medians, multilateral] = await Promise.all([
    countByStep(env.DB, {}),
    countByCountry(env.DB),
    countByCategory(env.DB),
    outcomeCounts(env.DB),
    designationMedians(env.DB, JURISDICTIONS),
    multilateralGaps(env.DB, GAPS_LISTED),
  ]);
  return {
    total: Object.values(by_step).reduce((a, b) => a + b, 0),
    by_step,
    by_country,
    by_category,
    by_programme: byProgramme(outcomes, medians),
    median_days: overallMedian(medians),
    multilateral,
  };
}
