import { z } from "@hono/zod-openapi";
import type { RecommendationFilter } from "../db/recommendations.ts";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { CATEGORIES, JURISDICTIONS } from "../domain/recommendation.ts";
import { STEPS } from "../domain/workflow.ts";

/** The filters of the list and the exports. */
export const FilterQuery = z.object({
  step: z.enum(STEPS).optional(),
  country: z.enum(COUNTRY_CODES).optional().openapi({ description: "Where the conduct happened (ISO 3166-1 alpha-2)" }),
  category: z.enum(CATEGORIES).optional(),
  jurisdiction: z.enum(JURISDICTIONS).optional(),
  updated_since: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Last activity at or after (ISO time)" }),
});

export function toFilter(q: z.infer<typeof FilterQuery>): RecommendationFilter {
  return {
    step: q.step,
    country: q.country,
    category: q.category,
    jurisdiction: q.jurisdiction,
    updatedSince: q.updated_since ? new Date(q.updated_since).toISOString() : undefined,
  };
}
