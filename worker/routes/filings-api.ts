import { createRoute, z } from "@hono/zod-openapi";
import { FilingInput, OutcomeInput } from "../domain/filings.ts";
import { STEPS } from "../domain/workflow.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { recordFiling, recordOutcome } from "../services/filings.ts";
import { actorOf, Event, FilingBody, Id, refusalError } from "./acting.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";

/** Filings with governments and what each government did: a coordinator's record, each an event. */
export const filingsApi = apiApp();

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
    request: { params: Id, body: { required: true, content: { "application/json": { schema: FilingInput } } } },
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
    const result = await recordFiling(c.env, c.req.valid("param").id, c.req.valid("json"), actorOf(c));
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
