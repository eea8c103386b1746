import { createRoute, z } from "@hono/zod-openapi";
import { filingsOf } from "../db/filings.ts";
import { FilingInput, OutcomeInput } from "../domain/filings.ts";
import { STEPS } from "../domain/workflow.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { packetKey, recordFiling, recordOutcome } from "../services/filings.ts";
import { actorOf, Event, FilingBody, Id, refusalError } from "./acting.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";

/** Filings with governments and what each government did: a coordinator's record, each an event. */
export const filingsApi = apiApp();

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const Recorded = z.object({ step: z.enum(STEPS), filing: FilingBody, event: Event });

filingsApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/filings",
    operationId: "recordFiling",
    summary: "Record a filing with a government",
    description:
      "A coordinator (session, or a token with `review` owned by a coordinator) records that the recommendation was sent to a government under a programme. Allowed once approved, and again for every further government or follow-up; the first filing moves the step to `filed`. Logged as a `file` event whose data holds the filing. A filing without an outcome after `FOLLOW_UP_DAYS` is due a follow-up.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: {
      params: Id,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: FilingInput.extend({
              packet: z.boolean().optional().openapi({
                description:
                  "Make the submission document for the programme now, keep it, and record its SHA-256 with the filing (then `GET …/filings/{filing_id}/packet.docx`)",
              }),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: "Recorded", content: { "application/json": { schema: Recorded } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Only coordinators file"),
      404: errorResponse("No such recommendation"),
      409: errorResponse("Not approved yet (invalid_transition)"),
      422: errorResponse("A field is missing or not valid"),
    },
  }),
  async (c) => {
    const { packet, ...filing } = c.req.valid("json");
    const result = await recordFiling(c.env, c.req.valid("param").id, filing, actorOf(c), { packet });
    if (!result.ok) throw refusalError(result);
    return c.json({ step: result.snapshot.step, filing: result.filing, event: result.event }, 201);
  },
);

filingsApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/filings/{filing_id}/outcome",
    operationId: "recordOutcome",
    summary: "Record what a government did with a filing",
    description:
      "Designated or not, on which date, for which targets (all when left out), with the official list reference and the source. The step becomes `designated` once any government designated and `not_designated` once every filing has an outcome and none designated; recording again changes the outcome. Logged as a `record_outcome` event.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: {
      params: z.object({ id: z.string().max(64), filing_id: z.string().max(64) }),
      body: { required: true, content: { "application/json": { schema: OutcomeInput } } },
    },
    responses: {
      200: { description: "Recorded", content: { "application/json": { schema: Recorded } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Only coordinators record outcomes"),
      404: errorResponse("No such recommendation or filing"),
      422: errorResponse("A field is missing or not valid (a target that does not exist)"),
    },
  }),
  async (c) => {
    const { id, filing_id } = c.req.valid("param");
    const result = await recordOutcome(c.env, id, filing_id, c.req.valid("json"), actorOf(c));
    if (!result.ok) throw refusalError(result);
    return c.json({ step: result.snapshot.step, filing: result.filing, event: result.event }, 200);
  },
);

filingsApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/filings/{filing_id}/packet.docx",
    operationId: "downloadFiledDocument",
    summary: "The submission document as it was sent with a filing",
    description:
      "Byte for byte the document made when the filing was recorded with `packet: true`; its SHA-256 is the filing's `packet_sha256`. Coordinators, admins and tokens with `export`.",
    security: bearer,
    middleware: [requireStaffOrToken("export", ["coordinator", "admin"])] as const,
    request: { params: z.object({ id: z.string().max(64), filing_id: z.string().max(64) }) },
    responses: {
      200: { description: "The document", content: { [DOCX]: { schema: z.string() } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("A reviewer"),
      404: errorResponse("No such filing, or none was sent with a document from here"),
    },
  }),
  async (c) => {
    const { id, filing_id } = c.req.valid("param");
    const filing = (await filingsOf(c.env.DB, id)).find((f) => f.id === filing_id);
    const stored = filing?.packet_sha256 ? await c.env.FILES.get(packetKey(id, filing_id)) : null;
    if (!filing || !stored) throw apiError(404, "No such filing, or none was sent with a document from here.");
    return new Response(stored.body, {
      headers: {
        "Content-Type": DOCX,
        "Content-Disposition": `attachment; filename="${filing.programme}-${filing.filed_on}.docx"`,
        "X-Content-SHA256": filing.packet_sha256 ?? "",
        "Cache-Control": "no-store",
      },
    }) as never;
  },
);
