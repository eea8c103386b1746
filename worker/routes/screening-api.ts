import { createRoute, z } from "@hono/zod-openapi";
import { findById } from "../db/recommendations.ts";
import { matchesOf } from "../db/screening.ts";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { IDENTIFIER_TYPES, TARGET_KINDS } from "../domain/recommendation.ts";
import { readRecord } from "../domain/sensitive.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { screenParty } from "../services/screening.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";

/** Screening: is a name already on a sanctions list, or already recommended by another organisation? */
export const screeningApi = apiApp();

const MatchBody = z.object({
  source: z.enum(["list", "recommendation"]),
  id: z.string().openapi({ description: "The listed entity's id, or the other recommendation's id" }),
  name: z.string(),
  score: z.number().openapi({ description: "0–1: how likely it is the same person or organisation" }),
  reasons: z.array(z.string()),
  datasets: z.array(z.string()).openapi({ description: "The lists naming it (OpenSanctions dataset names)" }),
  programs: z.array(z.string()).openapi({ description: "Programme ids of its sanctions (US-GLOMAG, GB-HR…)" }),
  reference: z.string().nullable(),
  target: z.number().nullable().openapi({ description: "Which of the other recommendation's targets" }),
});

const ScreenRequest = z.object({
  kind: z.enum(TARGET_KINDS).optional(),
  name: z.string().trim().min(1).max(500),
  aliases: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
  birth_date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .optional(),
  nationalities: z.array(z.enum(COUNTRY_CODES)).max(10).default([]),
  identifiers: z
    .array(z.object({ type: z.enum(IDENTIFIER_TYPES).optional(), number: z.string().trim().min(1).max(100) }))
    .max(20)
    .default([]),
});

screeningApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/screen",
    operationId: "screen",
    summary: "Check a name against the sanctions lists and every recommendation",
    description:
      "Names are compared across scripts and spellings (transliteration, name-part order, diacritics, every alias on both sides); birth date, nationality and documents raise or lower the score. Candidates scoring at least 0.5, best first, at most 20.",
    security: bearer,
    middleware: [requireStaffOrToken(null)] as const,
    request: { body: { content: { "application/json": { schema: ScreenRequest } }, required: true } },
    responses: {
      200: {
        description: "Candidates",
        content: { "application/json": { schema: z.object({ matches: z.array(MatchBody) }) } },
      },
      401: errorResponse("Not signed in and no valid token"),
      422: errorResponse("A field is missing or malformed"),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const matches = await screenParty(c.env, { ...body, names: [body.name, ...body.aliases] });
    return c.json({ matches }, 200);
  },
);

screeningApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/matches",
    operationId: "recommendationMatches",
    summary: "What screening found for each target of a recommendation",
    description:
      "Computed when the recommendation arrives (in the background) and again when a sanctions list changes. A reviewer's decision (`same`, `different`) is kept with each candidate.",
    security: bearer,
    middleware: [requireStaffOrToken("export")] as const,
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: {
      200: {
        description: "Candidates by target",
        content: {
          "application/json": {
            schema: z.object({
              screened: z.boolean(),
              targets: z.array(
                z.object({
                  index: z.number(),
                  matches: z.array(MatchBody.extend({ decision: z.enum(["same", "different"]).nullable() })),
                }),
              ),
            }),
          },
        },
      },
      401: errorResponse("Not signed in and no valid token"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const id = c.req.valid("param").id;
    const rec = await findById(c.env.DB, id);
    if (!rec) throw apiError(404, "No such recommendation.");
    const rows = await matchesOf(c.env.DB, id);
    const targets = readRecord(rec.record).targets.map((_, index) => ({
      index,
      matches: rows
        .filter((r) => r.target_index === index)
        .map((r) => ({
          source: r.source,
          id: r.candidate_id,
          name: r.name,
          score: r.score,
          reasons: JSON.parse(r.reasons) as string[],
          datasets: JSON.parse(r.datasets) as string[],
          programs: JSON.parse(r.programs) as string[],
          reference: r.reference,
          target: r.candidate_target,
          decision: r.decision,
        })),
    }));
    return c.json({ screened: rec.screenedAt !== null, targets }, 200);
  },
);
