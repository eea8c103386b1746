import { createRoute, z } from "@hono/zod-openapi";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { statistics } from "../services/stats.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";

/** The coalition's figures for anyone on staff or holding a token. */
export const statsApi = apiApp();

const Counts = z.record(z.string(), z.number());
const Programme = z.object({
  filed: z.number(),
  designated: z.number(),
  not_designated: z.number(),
  pending: z.number(),
  share_designated: z.number().nullable().openapi({ description: "Designated filings ÷ filings (0–1)" }),
  median_days: z.number().nullable().openapi({ description: "Median days from filing to designation" }),
});
const Stats = z.object({
  total: z.number(),
  by_step: Counts,
  by_country: Counts.openapi({ description: "By the country where the conduct took place" }),
  by_category: Counts,
  by_programme: z.record(z.string(), Programme),
  median_days: z.number().nullable(),
  multilateral: z.object({
    count: z.number(),
    items: z.array(
      z.object({
        rec_id: z.string(),
        reference: z.string(),
        target: z.string(),
        designated_by: z.array(z.string()),
        awaiting: z.array(z.string()),
        declined: z.array(z.string()),
        not_filed: z.array(z.string()),
      }),
    ),
  }),
});

statsApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/stats",
    operationId: "stats",
    summary: "The coalition's figures",
    description:
      "Recommendations per step, country and category; filings, designations and refusals per programme, with the share of filings that led to a designation and the median days from filing to designation; and the multilateral gaps: recommendations designated by one or more of the five governments and not yet by the others (the first 100 listed, all counted).",
    security: bearer,
    middleware: [requireStaffOrToken(null)] as const,
    responses: {
      200: { description: "The figures", content: { "application/json": { schema: Stats } } },
      401: errorResponse("Not signed in and no valid token"),
    },
  }),
  async (c) => c.json(await statistics(c.env), 200),
);
