import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { OUTCOMES } from "../domain/filings.ts";
import { AttachmentIds, JURISDICTIONS, LIMITS, wellFormed } from "../domain/recommendation.ts";
import type { ActionInput } from "../domain/workflow.ts";
import { STEPS } from "../domain/workflow.ts";
import type { ActResult } from "../durable/recommendation.ts";
import type { AppEnv } from "../env.ts";
import {
  actAsSubmitter,
  answer,
  type EvidenceRefusal,
  erasureOf,
  lookupReceipt,
  type SubmitterView,
  write,
} from "../services/status.ts";
import { apiError } from "./http-errors.ts";
import { apiApp, errorResponse } from "./openapi.ts";

/** The submitter's follow-up by receipt code. */
export const statusApi = apiApp();

const Receipt = z.string().min(1).max(64);

const StatusBody = z.object({
  reference: z.string(),
  step: z.enum(STEPS),
  decisions: z
    .array(z.object({ programme: z.enum(JURISDICTIONS), outcome: z.enum(OUTCOMES), on: z.string() }))
    .openapi({ description: "What each government that answered decided, and when" }),
  messages: z.array(z.object({ at: z.string(), from: z.enum(["reviewers", "you"]), text: z.string() })),
  attachments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      size: z.number(),
      sha256: z.string(),
      cleaned: z
        .boolean()
        .openapi({ description: "false: the file keeps its hidden metadata (author, device, place)" }),
    }),
  ),
  fingerprint: z.string().nullable().openapi({
    description:
      "The submission's content hash (SHA-256), fixed in the first event of its log: proof of exactly what was sent",
  }),
  erasure: z
    .object({
      state: z.enum(["planned", "held", "done"]),
      on: z.string().nullable().openapi({ description: "The day it is planned for, or was done (YYYY-MM-DD)" }),
      asked: z.boolean().openapi({ description: "Whether the submitter asked for it (else: the retention period)" }),
    })
    .nullable()
    .openapi({
      description:
        "What happens to the contact details, safety notes and files: deleted on a day (planned), kept for now by the coalition (held), or deleted (done); null while the review goes on",
    }),
});

const notFound = errorResponse("No recommendation has this receipt");
const limited = errorResponse("Too many failed lookups; see Retry-After");

/** Opens the receipt's recommendation, or answers 404 (after the same work) or 429 (thrown by the lookup). */
async function open(c: Context<AppEnv>, receipt: string) {
  const found = await lookupReceipt(c.env, receipt, c.req.raw.headers);
  if (!found) throw apiError(404, { key: "errors.receipt_unknown" });
  return found;
}

/** The submitter's action, or 409 naming the step when it is no longer possible. */
async function act(c: Context<AppEnv>, view: SubmitterView, input: ActionInput) {
  const result = await actAsSubmitter(c.env, view, input);
  if (!result.ok) {
    throw apiError(409, { key: "errors.invalid_transition" }, { step: view.step });
  }
  return { reference: view.reference, step: result.snapshot.step };
}

statusApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/status",
    operationId: "getStatus",
    security: [],
    summary: "The status of a recommendation, by its receipt code",
    request: { body: { required: true, content: { "application/json": { schema: z.object({ receipt: Receipt }) } } } },
    responses: {
      200: { description: "Its status, messages and files", content: { "application/json": { schema: StatusBody } } },
      404: notFound,
      429: limited,
    },
  }),
  async (c) => {
    const view = await open(c, c.req.valid("json").receipt);
    const { reference, step, decisions, messages, attachments, fingerprint, erasure } = view;
    return c.json({ reference, step, decisions, messages, attachments, fingerprint, erasure }, 200);
  },
);

const Acted = z.object({ reference: z.string(), step: z.enum(STEPS) });
const stale = errorResponse("Not possible in the current step (invalid_transition)");

/** What the submitter writes: their words (required for an answer) and the ids of finished uploads. */
function writing(message: z.ZodType<string>, refused: string) {
  return {
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: z.object({ receipt: Receipt, message, attachments: AttachmentIds }) },
        },
      },
    },
    responses: {
      404: notFound,
      409: stale,
      413: errorResponse("More files than a recommendation may hold (20)"),
      422: errorResponse(refused),
      429: limited,
    },
  };
}
const ANSWER = writing(wellFormed(z.string().trim().min(1).max(20_000)), "An attachment is not a finished upload");
const MESSAGE = writing(
  wellFormed(z.string().trim().max(20_000)).default(""),
  "Neither a message nor a file, or an attachment is not a finished upload",
);

statusApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/status/respond",
    operationId: "respondToChangeRequest",
    security: [],
    summary: "Answer an open change request",
    request: ANSWER.request,
    responses: {
      ...ANSWER.responses,
      200: {
        description: "Answered; the recommendation is back with the reviewers",
        content: { "application/json": { schema: Acted } },
      },
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const view = await open(c, body.receipt);
    return c.json(written(view, await answer(c.env, view, body.message, body.attachments)), 200);
  },
);

statusApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/status/message",
    operationId: "writeToReviewers",
    security: [],
    summary: "Write to the reviewers, with or without files, at any open step",
    description:
      "While a change request is open, the message is its answer and returns the recommendation to the step that asked; otherwise the step stays as it is. Files alone are added as late evidence.",
    request: MESSAGE.request,
    responses: {
      ...MESSAGE.responses,
      200: { description: "Sent", content: { "application/json": { schema: Acted } } },
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const view = await open(c, body.receipt);
    const result = await write(c.env, view, body.message, body.attachments);
    if (!result) {
      const said = { key: "errors.message_or_files" };
      throw apiError(422, said, { fields: [{ path: "message", ...said }] });
    }
    return c.json(written(view, result), 200);
  },
);

/** The answer to a submitter's writing: the new step, or why it was refused (413, 422 naming the files, 409). */
function written(view: SubmitterView, result: ActResult | EvidenceRefusal) {
  if (result.ok) return { reference: view.reference, step: result.snapshot.step };
  if (result.error === "too_many_files") {
    const said = { key: "errors.too_many_files", params: { count: LIMITS.attachments } };
    throw apiError(413, said, { fields: [{ path: "attachments", ...said }] });
  }
  if (result.error === "unknown_upload") {
    const said = { key: "errors.attachment_unknown" };
    throw apiError(422, said, { fields: [{ path: "attachments", ...said }] });
  }
  throw apiError(409, { key: "errors.invalid_transition" }, { step: view.step });
}

statusApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/status/withdraw",
    operationId: "withdrawRecommendation",
    security: [],
    summary: "Withdraw the recommendation",
    request: { body: { required: true, content: { "application/json": { schema: z.object({ receipt: Receipt }) } } } },
    responses: {
      200: { description: "Withdrawn", content: { "application/json": { schema: Acted } } },
      404: notFound,
      409: stale,
      429: limited,
    },
  }),
  async (c) => {
    const view = await open(c, c.req.valid("json").receipt);
    return c.json(await act(c, view, { action: "withdraw" }), 200);
  },
);

statusApi.openapi(
  createRoute({
    method: "post",
    path: "/v1/status/erase",
    operationId: "askForErasure",
    security: [],
    summary: "After withdrawing: have the contact details and files erased",
    description:
      "The contact details, safety notes and original files are erased 7 days later, unless a coordinator holds them (e.g. for a legal procedure). The fingerprints (hashes) and the log stay. 409 when the recommendation is not withdrawn, or erasure was already asked for.",
    request: { body: { required: true, content: { "application/json": { schema: z.object({ receipt: Receipt }) } } } },
    responses: {
      200: {
        description: "Asked; `erasure` says when",
        content: { "application/json": { schema: Acted.extend({ erasure: StatusBody.shape.erasure }) } },
      },
      404: notFound,
      409: stale,
      429: limited,
    },
  }),
  async (c) => {
    const view = await open(c, c.req.valid("json").receipt);
    const result = await actAsSubmitter(c.env, view, { action: "request_erasure" });
    if (!result.ok) throw apiError(409, { key: "errors.invalid_transition" }, { step: view.step });
    return c.json({ reference: view.reference, step: result.snapshot.step, erasure: erasureOf(result.snapshot) }, 200);
  },
);
