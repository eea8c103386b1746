import { countByStep } from "../db/recommendations.ts";
import { countByCategory, countByCountry, designationDays, multilateralGaps, outcomeCounts } from "../db/stats.ts";
import { byProgramme, median, type Statistics } from "../domain/stats.ts";

/** Gaps listed with their reference and target (all are counted). */
const GAPS_LISTED = 100;

/** The coalition's figures, as `GET /api/v1/stats` and `/dashboard` show them. */
export async function statistics(env: Env): Promise<Statistics> {
  const [by_step, by_country, by_category, outcomes, designations, multilateral] = await Promise.all([
    countByStep(env.DB, {}),
    countByCountry(env.DB),
    countByCategory(env.DB),
    outcomeCounts(env.DB),
    designationDays(env.DB),
    multilateralGaps(env.DB, GAPS_LISTED),
  ]);
  return {
    total: Object.values(by_step).reduce((a, b) => a + b, 0),
    by_step,
    by_country,
    by_category,
    by_programme: byProgramme(outcomes, designations),
    median_days: median(designations.map((d) => d.days)),
    multilateral,
  };
}
