import { createRoute, z } from "@hono/zod-openapi";
import { listAudit } from "../db/audit.ts";
import { AUDIT_ACTIONS } from "../domain/audit.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { verifyRecommendation } from "../services/verification.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";

/** Chain of custody: whether a recommendation's record still proves what was submitted. */
export const custodyApi = apiApp();

const Head = z.object({ seq: z.number(), hash: z.string() });

const VerificationBody = z.object({
  verified: z.boolean(),
  head: Head.nullable(),
  content_sha256: z.string().nullable(),
  checked: z.array(z.string()),
  problems: z.array(
    z.object({
      check: z.enum(["chain", "head", "content", "files"]),
      message: z.string(),
      seq: z.number().optional(),
      file: z.string().optional(),
    }),
  ),
});

custodyApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/verification",
    operationId: "verifyRecommendation",
    summary: "Whether the record still proves what was submitted",
    description:
      "Recomputes the hash-chained event log and compares its head with the one D1 recorded (a log cut short or re-hashed fails), recomputes the content hash from the stored submission, and reads every file back from storage to hash it. `verified` is false naming each thing that broke.",
    security: bearer,
    middleware: [requireStaffOrToken("export")] as const,
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: {
      200: { description: "The verdict", content: { "application/json": { schema: VerificationBody } } },
      401: errorResponse("Not signed in and no valid token"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const result = await verifyRecommendation(c.env, c.req.valid("param").id, { bytes: true });
    if (!result) throw apiError(404, "No such recommendation.");
    return c.json(result, 200);
  },
);

const AuditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string().openapi({ description: "A staff member's email, or a token's name and its owner's email" }),
  action: z.enum(AUDIT_ACTIONS),
  subject: z.string().openapi({ description: "A recommendation id, or `recommendations` for an export" }),
  details: z.record(z.string(), z.unknown()).openapi({ description: "Filters and rows, file and variant" }),
  prev_hash: z.string(),
  hash: z.string(),
});

custodyApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/audit",
    operationId: "listAudit",
    summary: "Who read what: every download, export and packet",
    description:
      "The hash-chained audit log, oldest first, a page at a time (`after` the last seq you have). Admins: their session, or a token with `export` they own.",
    security: bearer,
    middleware: [requireStaffOrToken("export", ["admin"])] as const,
    request: {
      query: z.object({
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
    responses: {
      200: { description: "Entries after `after`", content: { "application/json": { schema: z.array(AuditEntry) } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Not an admin, or a token whose owner is not one"),
    },
  }),
  async (c) => {
    const token = c.get("token");
    if (token && token.owner?.role !== "admin") throw apiError(403, "The audit log is for admins.");
    const { after, limit } = c.req.valid("query");
    return c.json(await listAudit(c.env.DB, after, limit), 200);
  },
);
