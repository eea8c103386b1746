import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CHANNELS, OUTCOMES } from "../domain/filings.ts";
import { JURISDICTIONS } from "../domain/recommendation.ts";
import type { Actor } from "../domain/workflow.ts";
import type { AppEnv } from "../env.ts";
import { type ActionOutcome, staffActor, tokenActor } from "../services/review.ts";
import { apiError, refusalStatus } from "./http-errors.ts";

/** What the API routes that act on a workflow share: who acts, how a refusal reads, what an event looks like. */

const FileHash = z.object({ id: z.string(), sha256: z.string() });

export const FilingBody = z.object({
  id: z.string(),
  programme: z.enum(JURISDICTIONS),
  filed_on: z.string(),
  channel: z.enum(CHANNELS),
  addressee: z.string(),
  government_reference: z.string().nullable(),
  note: z.string().nullable(),
  packet_sha256: z.string().nullable(),
  filed_by: z.string(),
  follow_up_due: z.boolean().openapi({ description: "Waited past FOLLOW_UP_DAYS without an outcome" }),
  outcome: z
    .object({
      outcome: z.enum(OUTCOMES),
      on: z.string(),
      targets: z.array(z.number()).nullable().openapi({ description: "Target indexes; null for all" }),
      list_reference: z.string().nullable(),
      source_url: z.string().nullable(),
      by: z.string(),
    })
    .nullable(),
});

/** What an event fixes about the content, files and filings; in the hash when not null. */
const EventData = z
  .object({
    content_sha256: z.string(),
    sealed_sha256: z.string(),
    previous_content_sha256: z.string(),
    files: z.array(FileHash),
    released: FileHash,
    linked: z.object({ target: z.number(), source: z.string(), id: z.string(), other_target: z.number().optional() }),
    filing: FilingBody,
    outcome: z.record(z.string(), z.unknown()),
  })
  .partial();

export const Event = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  comment: z.string().nullable(),
  to_submitter: z.boolean(),
  data: EventData.nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});

export const Id = z.object({ id: z.string().max(64) });

/** Who acts: the signed-in staff member, or the owner of the token (a token without one may not act). */
export function actorOf(c: Context<AppEnv>): Actor {
  const staff = c.get("staff");
  const token = c.get("token");
  const actor = staff ? staffActor(staff) : token ? tokenActor(token) : null;
  if (!actor) throw apiError(403, "This token has no owner, so it cannot act on the workflow.");
  return actor;
}

/** A refused action as the API's error: 404, 403, 409 naming the step, or 422 naming the field. */
export function refusalError(result: Exclude<ActionOutcome, { ok: true }>) {
  switch (result.error) {
    case "not_found":
      return apiError(404, "No such recommendation, file or filing.");
    case "forbidden":
      return apiError(refusalStatus(result.error), result.message);
    case "invalid_transition":
      return apiError(refusalStatus(result.error), result.message, { step: result.step });
    case "missing_field":
      return apiError(refusalStatus(result.error), result.message, {
        fields: [{ path: result.field, key: result.message }],
      });
  }
}
