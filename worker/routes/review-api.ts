import { createRoute, z } from "@hono/zod-openapi";
import { findById } from "../db/recommendations.ts";
import { sees } from "../domain/access.ts";
import { CorrectedRecord, wellFormed } from "../domain/recommendation.ts";
import { ACTIONS, STEPS } from "../domain/workflow.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { recordAccess } from "../services/audit.ts";
import { correctRecord } from "../services/correction.ts";
import { downloadAttachment } from "../services/download.ts";
import { performAction, releaseFile } from "../services/review.ts";
import { decideMatch } from "../services/screening.ts";
import { actorOf, Event, Id, refusalError } from "./acting.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";
import { actorLabel, viewerOf } from "./viewer.ts";

/** The workflow through the API: actions and the event log. */
export const reviewApi = apiApp();

const ActionBody = z.object({
  action: z.enum(ACTIONS),
  expected_step: z.enum(STEPS),
  comment: wellFormed(z.string().max(20_000)).optional(),
  to_submitter: z
    .boolean()
    .optional()
    .openapi({ description: "With `comment`: true makes it a `message`, which the submitter reads" }),
  message: wellFormed(z.string().max(20_000))
    .optional()
    .openapi({ description: "With `reject`: a message the submitter reads, beside the reason (`comment`) staff keep" }),
  assignee: z.string().max(300).nullable().optional(),
});

reviewApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/actions",
    operationId: "actOnRecommendation",
    summary: "Act on a recommendation's workflow",
    description: "Signed-in staff (session cookie) or a token with the `review` scope, which acts as a coordinator.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: { params: Id, body: { required: true, content: { "application/json": { schema: ActionBody } } } },
    responses: {
      200: {
        description: "Accepted: the new step and the logged event",
        content: { "application/json": { schema: z.object({ step: z.enum(STEPS), event: Event }) } },
      },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Your role may not take this action"),
      404: errorResponse("No such recommendation"),
      409: errorResponse("Not possible from the current step, or expected_step is stale (invalid_transition)"),
      422: errorResponse("A field the action needs is missing"),
    },
  }),
  async (c) => {
    const actor = actorOf(c);
    const result = await performAction(c.env, c.req.valid("param").id, c.req.valid("json"), actor);
    if (result.ok) return c.json({ step: result.snapshot.step, event: result.event }, 200);
    throw refusalError(result);
  },
);

reviewApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/attachments/{aid}/release",
    operationId: "releaseFile",
    summary: "Let reviewers have a file that keeps its metadata",
    description:
      "A coordinator's decision (session, or a token with `review` owned by a coordinator), logged as a `release_file` event naming the file and its SHA-256.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: { params: z.object({ id: z.string().max(64), aid: z.string().max(64) }) },
    responses: {
      200: {
        description: "Released: the logged event",
        content: { "application/json": { schema: z.object({ step: z.enum(STEPS), event: Event }) } },
      },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Only coordinators release files"),
      404: errorResponse("No such file in this recommendation"),
      409: errorResponse("The file needs no release (it is cleaned, or released already)"),
    },
  }),
  async (c) => {
    const actor = actorOf(c);
    const { id, aid } = c.req.valid("param");
    const result = await releaseFile(c.env, id, aid, actor);
    if (result.ok) return c.json({ step: result.snapshot.step, event: result.event }, 200);
    throw refusalError(result);
  },
);

reviewApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/correction",
    operationId: "correctRecommendation",
    summary: "Correct the part of a submission stored in clear",
    description:
      "A coordinator's correction (session, or a token with `review` owned by a coordinator): `record` is the whole submission as `GET /api/v1/recommendations/{id}` shows it, without the contact details, safety notes and files, which stay as sent. Logged as a `correct` event whose data holds the new `content_sha256` and the `previous_content_sha256`; 409 when the step is not `expected_step` or the submission changed meanwhile.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: {
      params: Id,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object({
              expected_step: z.enum(STEPS),
              reason: wellFormed(z.string().trim().min(1).max(20_000)),
              record: CorrectedRecord,
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Corrected: the logged event",
        content: { "application/json": { schema: z.object({ step: z.enum(STEPS), event: Event }) } },
      },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("Only coordinators correct"),
      404: errorResponse("No such recommendation"),
      409: errorResponse("The step is not expected_step, or the submission changed meanwhile"),
      422: errorResponse("A field is not valid, or the correction changes nothing"),
    },
  }),
  async (c) => {
    const actor = actorOf(c);
    const result = await correctRecord(c.env, c.req.valid("param").id, c.req.valid("json"), actor);
    if (result.ok) return c.json({ step: result.snapshot.step, event: result.event }, 200);
    throw refusalError(result);
  },
);

reviewApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/events",
    operationId: "listEvents",
    summary: "The hash-chained event log of a recommendation",
    security: bearer,
    middleware: [requireStaffOrToken("export")] as const,
    request: { params: Id },
    responses: {
      200: { description: "Every event, oldest first", content: { "application/json": { schema: z.array(Event) } } },
      401: errorResponse("Not signed in and no valid token"),
      404: errorResponse("No such recommendation"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const row = await findById(c.env.DB, id);
    if (!row) throw apiError(404, "No such recommendation.");
    const object = recommendationObject(c.env, id);
    // Intake leaves the object to its first reader (or the Cron Trigger).
    await object.open(openingOf(row));
    return c.json(await object.events(), 200);
  },
);

reviewApi.openapi(
  createRoute({
    method: "get",
    path: "/v1/recommendations/{id}/attachments/{aid}",
    operationId: "downloadAttachment",
    summary: "An evidence file",
    description:
      "The metadata-free copy of an image, or the file as submitted for text. Files that keep their metadata (PDF, Office, HEIC, video, audio, images too large to strip) go to coordinators (their sessions, or tokens they own) and to tokens with `originals`, and to reviewers once a coordinator released them. `?variant=original` (the bytes exactly as submitted, metadata included) needs the `originals` scope, or a coordinator's session. Originals are checked against their SHA-256 as they stream: a mismatch breaks the download.",
    security: bearer,
    middleware: [requireStaffOrToken("export")] as const,
    request: {
      params: z.object({ id: z.string().max(64), aid: z.string().max(64) }),
      query: z.object({ variant: z.enum(["default", "original"]).default("default") }),
    },
    responses: {
      200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse(
        "The original needs the originals right; a file that keeps its metadata needs a coordinator, or their release",
      ),
      404: errorResponse("No such file in this recommendation"),
      410: errorResponse("The file as submitted was purged at the end of its retention period, or erased on request"),
    },
  }),
  async (c) => {
    const { id, aid } = c.req.valid("param");
    const { variant } = c.req.valid("query");
    const viewer = viewerOf(c);
    if (variant === "original" && !sees(viewer, "originals")) {
      throw apiError(403, "The original file needs the originals right.");
    }
    const res = await downloadAttachment(c.env, id, aid, variant, sees(viewer, "uncleaned"));
    if (res === "not_found") throw apiError(404, "No such file in this recommendation.");
    if (res === "purged") {
      throw apiError(410, "This file as submitted was purged (retention period ended, or erased on request).", {
        code: "purged",
      });
    }
    if (res === "not_cleaned") {
      throw apiError(403, "This file keeps its metadata; a coordinator must release it to reviewers first.", {
        code: "not_cleaned",
      });
    }
    // Recorded before a byte leaves: a download the log cannot hold does not happen.
    await recordAccess(c.env, {
      actor: actorLabel(c),
      action: "download",
      subject: id,
      details: { file: aid, variant },
    });
    return res as never;
  },
);

reviewApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/recommendations/{id}/matches/decision",
    operationId: "decideMatch",
    summary: "Say whether a screening candidate is the same target",
    description:
      "A reviewer's or coordinator's word on a candidate of `GET …/matches` (session, or a token with `review` that has an owner). `same`: a `link` event on this recommendation, and on the other one when the candidate is another recommendation's target, and the match is kept as decided. `different`: the match is marked and no longer counted as a possible duplicate or listing.",
    security: bearer,
    middleware: [requireStaffOrToken("review")] as const,
    request: {
      params: Id,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object({
              target: z.number().int().min(0).max(9).openapi({ description: "Which of this recommendation's targets" }),
              source: z.enum(["list", "recommendation"]),
              id: z.string().max(200).openapi({ description: "The candidate's id, as `GET …/matches` gives it" }),
              candidate_target: z.number().int().min(0).max(9).nullable().default(null),
              decision: z.enum(["same", "different"]),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Decided",
        content: { "application/json": { schema: z.object({ decision: z.enum(["same", "different"]) }) } },
      },
      401: errorResponse("Not signed in and no valid token"),
      403: errorResponse("A token without an owner"),
      404: errorResponse("No such recommendation or candidate"),
      422: errorResponse("A field is missing or malformed"),
    },
  }),
  async (c) => {
    const actor = actorOf(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const candidate =
      body.source === "list" ? `list:${body.id}` : `recommendation:${body.id}:${body.candidate_target ?? 0}`;
    const result = await decideMatch(c.env, id, body.target, candidate, body.decision, actor, actorLabel(c));
    if (result.ok) return c.json({ decision: body.decision }, 200);
    throw refusalError(result);
  },
);
