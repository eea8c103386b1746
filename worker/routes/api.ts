import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { problemMessage, translator } from "../../web/i18n/index.ts";
import { findById, listBySeq } from "../db/recommendations.ts";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { CATEGORIES, JURISDICTIONS, RecommendationInput } from "../domain/recommendation.ts";
import { fieldProblems } from "../domain/validation.ts";
import { STEPS } from "../domain/workflow.ts";
import type { AppEnv } from "../env.ts";
import { apiError } from "../http-errors.ts";
import { requireToken } from "../security/token-auth.ts";
import { presentRecommendation } from "../services/present.ts";
import { submitRecommendation } from "../services/submit.ts";

/**
 * The JSON API under /api. Validation failures become CONTRACT §4's 422 body
 * with each message in the `Accept-Language` locale.
 */
export const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook() });

/**
 * Turns a failed validation into the 422 body. Given the schema, it parses
 * the input once more with `reportInput`, so a blank value reads "required"
 * rather than "invalid" (only on failure, so the happy path parses once).
 */
function validationHook(schema?: z.ZodType) {
  return (result: { success: true } | { success: false; error: z.ZodError }, c: Context<AppEnv>): undefined => {
    if (result.success) return;
    // zod-validator passes the raw input along as `data`, though its type does not say so.
    const input = (result as { data?: unknown }).data;
    const again = schema?.safeParse(input, { reportInput: true });
    const error = again && !again.success ? again.error : result.error;
    const t = translator(c.get("locale"));
    const fields = fieldProblems(error).map((p) => ({ path: p.path, message: problemMessage(t, p) }));
    throw apiError(422, t("errors.summary"), { fields });
  };
}

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

const Created = z.object({
  id: z.string(),
  reference: z.string(),
  receipt: z.string(),
  step: z.enum(STEPS),
});

api.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations",
    summary: "Submit a recommendation",
    request: { body: { required: true, content: { "application/json": { schema: RecommendationInput } } } },
    responses: {
      201: {
        description: "Stored; the receipt is shown only this once",
        content: { "application/json": { schema: Created } },
      },
      422: errorResponse("Some fields are not valid"),
    },
  }),
  async (c) => {
    const submitted = await submitRecommendation(c.env, c.req.valid("json"), c.get("locale"));
    return c.json(submitted, 201);
  },
  validationHook(RecommendationInput),
);

const ListQuery = z.object({
  step: z.enum(STEPS).optional(),
  country: z.enum(COUNTRY_CODES).optional(),
  category: z.enum(CATEGORIES).optional(),
  jurisdiction: z.enum(JURISDICTIONS).optional(),
  updated_since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/** Cursors are opaque to clients: the last intake sequence number seen, base64url. */
function readCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const seq = Number(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw apiError(422, "The cursor is not valid.", {
      fields: [{ path: "cursor", message: "The cursor is not valid." }],
    });
  return seq;
}

function writeCursor(seq: number): string {
  return btoa(String(seq)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const bearer = [{ bearer: [] }];

api.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations",
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
    const rows = await listBySeq(
      c.env.DB,
      {
        step: q.step,
        country: q.country,
        category: q.category,
        jurisdiction: q.jurisdiction,
        updatedSince: q.updated_since,
      },
      readCursor(q.cursor),
      q.limit + 1,
    );
    const page = rows.slice(0, q.limit);
    const withContact = c.get("token")?.scopes.has("contact") ?? false;
    const items = await Promise.all(page.map((row) => presentRecommendation(c.env, row, withContact)));
    const last = page.at(-1);
    return c.json({ items, next_cursor: rows.length > q.limit && last ? writeCursor(last.seq) : null }, 200);
  },
);

api.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}",
    summary: "One recommendation, whole",
    security: bearer,
    middleware: [requireToken("export")] as const,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: {
        description: "The recommendation",
        content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
      },
      401: errorResponse("Missing, unknown, expired or revoked token"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const row = await findById(c.env.DB, c.req.valid("param").id);
    if (!row) throw apiError(404, "No such recommendation.");
    const withContact = c.get("token")?.scopes.has("contact") ?? false;
    return c.json(await presentRecommendation(c.env, row, withContact), 200);
  },
);

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "A token from `npm run token -- create`",
});

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Dossier API", version: "1.0.0" },
  servers: [{ url: "/api" }],
});
