import { createRoute, z } from "@hono/zod-openapi";
import { translator } from "../../web/i18n/index.ts";
import { filingsOf, suggestionsOf } from "../db/filings.ts";
import { findById, listBySeq } from "../db/recommendations.ts";
import { sees } from "../domain/access.ts";
import { fromBase64, toBase64Url } from "../domain/encoding.ts";
import { isVersion1, RecommendationInput, RecommendationV1, upgrade } from "../domain/recommendation.ts";
import { STEPS } from "../domain/workflow.ts";
import { submissionBuckets } from "../security/throttle.ts";
import { requireToken } from "../security/token-auth.ts";
import { presentRecommendation } from "../services/present.ts";
import { submitOnce } from "../services/submit.ts";
import { FilterQuery, toFilter } from "./filters.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse, validationHook } from "./openapi.ts";
import { regimeWarningViews } from "./regime-warnings.ts";
import { viewerOf } from "./viewer.ts";

/** Submitting (public) and reading (token with `export`) recommendations. */
export const recommendationsApi = apiApp();

const Created = z.object({
  id: z.string(),
  reference: z.string(),
  receipt: z.string(),
  step: z.enum(STEPS),
  files: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      size: z.number(),
      sha256: z.string(),
      found: z.array(z.string()),
      cleaned: z.boolean(),
    }),
  ),
  fingerprint: z.string().nullable().openapi({
    description: "The submission's content hash (SHA-256), fixed in the first event of its log",
  }),
  warnings: z.array(z.object({ path: z.string(), code: z.literal("regime_mismatch"), message: z.string() })).openapi({
    description:
      "Programmes asked for that cannot reach the conduct, a target or anyone named (accepted all the same), in the request's language",
  }),
});

/** Reports a refused body in the terms of the version it was written in. */
const eitherVersion = {
  safeParse: (input: unknown, params?: { reportInput?: boolean }) =>
    (isVersion1(input) ? RecommendationV1 : RecommendationInput).safeParse(input, params),
};

recommendationsApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations",
    operationId: "submitRecommendation",
    summary: "Submit a recommendation",
    security: [],
    request: {
      headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
      body: {
        required: true,
        description:
          "Version 2 (`schema_version: 2`, several `targets`). Version 1 (one `target`) is still taken, and stored as version 2.",
        content: { "application/json": { schema: z.union([RecommendationInput, RecommendationV1]) } },
      },
    },
    responses: {
      201: {
        description: "Stored; the receipt is shown only this once",
        content: { "application/json": { schema: Created } },
      },
      409: errorResponse("The Idempotency-Key was used for another body, or its first request is still running"),
      422: errorResponse("Some fields are not valid"),
    },
  }),
  async (c) => {
    const key = c.req.valid("header")["idempotency-key"];
    const sent = c.req.valid("json");
    const input = "targets" in sent ? sent : upgrade(sent);
    const keyed = key ? { key, scope: "api" as const, sent } : undefined;
    const limits = await submissionBuckets(c);
    const { replay, warnings, ...submitted } = await submitOnce(c.env, input, c.get("locale"), keyed, limits);
    return c.json({ ...submitted, warnings: regimeWarningViews(translator(c.get("locale")), warnings) }, 201);
  },
  validationHook(eitherVersion),
);

const ListQuery = FilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/** Cursors are opaque to clients: the last intake sequence number seen, base64url. */
function readCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  let seq = Number.NaN;
  try {
    seq = Number(new TextDecoder().decode(fromBase64(cursor)));
  } catch {
    // Not base64 at all: refused below like any other bad cursor.
  }
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw apiError(422, "The cursor is not valid.", {
      fields: [{ path: "cursor", key: "The cursor is not valid." }],
    });
  return seq;
}

function writeCursor(seq: number): string {
  return toBase64Url(new TextEncoder().encode(String(seq)));
}

recommendationsApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations",
    operationId: "listRecommendations",
    summary: "List recommendations in intake order",
    security: bearer,
    middleware: [requireToken("export")] as const,
    request: { query: ListQuery },
    responses: {
      200: {
        description: "One page; follow next_cursor until it is null",
        content: {
          "application/json": {
            schema: z.object({ items: z.array(z.record(z.string(), z.unknown())), next_cursor: z.string().nullable() }),
          },
        },
      },
      401: errorResponse("Missing, unknown, expired or revoked token"),
      403: errorResponse("The token lacks the export scope"),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const rows = await listBySeq(c.env.DB, toFilter(q), readCursor(q.cursor), q.limit + 1);
    const page = rows.slice(0, q.limit);
    const withContact = sees(viewerOf(c), "contact");
    const items = await Promise.all(page.map((row) => presentRecommendation(c.env, row, withContact)));
    const last = page.at(-1);
    return c.json({ items, next_cursor: rows.length > q.limit && last ? writeCursor(last.seq) : null }, 200);
  },
);

recommendationsApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}",
    operationId: "getRecommendation",
    summary: "One recommendation, whole",
    security: bearer,
    middleware: [requireToken("export")] as const,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: {
        description:
          "The recommendation, with its filings with governments and their outcomes (`filings[]`), and what the designation watch suggests for filings awaiting an answer (`suggested_outcomes[]`)",
        content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
      },
      401: errorResponse("Missing, unknown, expired or revoked token"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const row = await findById(c.env.DB, c.req.valid("param").id);
    if (!row) throw apiError(404, "No such recommendation.");
    const withContact = sees(viewerOf(c), "contact");
    const [presented, filings, suggested] = await Promise.all([
      presentRecommendation(c.env, row, withContact),
      filingsOf(c.env.DB, row.id),
      suggestionsOf(c.env.DB, row.id),
    ]);
    const suggested_outcomes = suggested.map((s) => ({
      ...s,
      reasons: JSON.parse(s.reasons) as string[],
      datasets: JSON.parse(s.datasets) as string[],
      programs: JSON.parse(s.programs) as string[],
    }));
    return c.json({ ...presented, filings, suggested_outcomes }, 200);
  },
);
