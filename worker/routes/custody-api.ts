import { createRoute, z } from "@hono/zod-openapi";
import { listAudit } from "../db/audit.ts";
import { sees } from "../domain/access.ts";
import { AUDIT_ACTIONS } from "../domain/audit.ts";
import { JURISDICTIONS } from "../domain/recommendation.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { recordAccess } from "../services/audit.ts";
import { buildPacket } from "../services/packet.ts";
import { buildSubmissionDocx } from "../services/submission-docx.ts";
import { verifyRecommendation } from "../services/verification.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";
import { actorLabel, viewerOf } from "./viewer.ts";

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

custodyApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/packet.zip",
    operationId: "downloadPacket",
    summary: "The recommendation as a signed packet, for a government",
    description:
      "A ZIP, streamed: `recommendation.json` (the submission without the sealed contact details and safety notes), `events.json` (the hash-chained log), the evidence under `files/`, `manifest.json` (SHA-256 and size of every entry, the log's head, the content hash, the key id), `manifest.sig` (base64url Ed25519 signature of manifest.json's exact bytes) and `signing-key.json`. Check it offline with `npm run verify -- FILE.zip --key URL`. Metadata-free copies by default; `?variant=original` (the files exactly as submitted) needs the originals right. Coordinators, admins and tokens with `export`; every packet is recorded in the audit log.",
    security: bearer,
    middleware: [requireStaffOrToken("export", ["coordinator", "admin"])] as const,
    request: {
      params: z.object({ id: z.string().max(64) }),
      query: z.object({
        variant: z.enum(["default", "original"]).default("default"),
        programme: z.enum(JURISDICTIONS).optional().openapi({
          description:
            "A packet for that government: `submission.docx` (the one kept with the latest filing under it, else made now) and only the evidence its sources let governments have, instead of recommendation.json and events.json",
        }),
      }),
    },
    responses: {
      200: { description: "The packet", content: { "application/zip": { schema: z.string() } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("A reviewer, or the originals without the originals right"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { variant, programme } = c.req.valid("query");
    const viewer = viewerOf(c);
    if (variant === "original" && !sees(viewer, "originals")) {
      throw apiError(403, "The original files need the originals right.");
    }
    const packet = await buildPacket(c.env, id, variant, sees(viewer, "uncleaned"), programme);
    if (!packet) throw apiError(404, "No such recommendation.");
    await recordAccess(c.env, {
      actor: actorLabel(c),
      action: "packet",
      subject: id,
      details: { variant, ...(programme ? { programme } : {}), files: packet.files, withheld: packet.withheld },
    });
    return new Response(packet.body, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${packet.reference}-${programme ? `${programme}-` : ""}packet.zip"`,
        "Cache-Control": "no-store",
      },
    }) as never;
  },
);

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

custodyApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/packet.docx",
    operationId: "downloadSubmissionDocument",
    summary: "The submission for one government, as an editable Word document",
    description:
      "In the sections governments' templates use: the submitting organisation (or the coalition, when it may not be named), each target with identifiers and relations, the conduct and incidents, why sanctions, an index of the evidence with SHA-256, and exculpatory material. Only evidence whose consent allows governments; never contact details or safety notes. The `X-Content-SHA256` header gives the document's SHA-256, for the filing to record. Coordinators, admins and tokens with `export`; recorded in the audit log.",
    security: bearer,
    middleware: [requireStaffOrToken("export", ["coordinator", "admin"])] as const,
    request: {
      params: z.object({ id: z.string().max(64) }),
      query: z.object({ programme: z.enum(JURISDICTIONS) }),
    },
    responses: {
      200: { description: "The document", content: { [DOCX]: { schema: z.string() } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("A reviewer"),
      404: errorResponse("No such recommendation"),
      422: errorResponse("No programme, or not one of the programmes"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { programme } = c.req.valid("query");
    const document = await buildSubmissionDocx(c.env, id, programme);
    if (!document) throw apiError(404, "No such recommendation.");
    await recordAccess(c.env, {
      actor: actorLabel(c),
      action: "packet",
      subject: id,
      details: { format: "docx", programme, sha256: document.sha256 },
    });
    return new Response(document.bytes, {
      headers: {
        "Content-Type": DOCX,
        "Content-Disposition": `attachment; filename="${document.reference}-${programme}.docx"`,
        "X-Content-SHA256": document.sha256,
        "Cache-Control": "no-store",
      },
    }) as never;
  },
);
