import { findAttachment, markReleased } from "../db/attachments.ts";
import { findById } from "../db/recommendations.ts";
import { findActiveStaff } from "../db/staff.ts";
import type { ActionInput, Actor, Refusal, Step } from "../domain/workflow.ts";
import { type ActResult, openingOf, recommendationObject } from "../durable/recommendation.ts";
import type { ApiToken, StaffMember } from "../env.ts";

export function staffActor(member: StaffMember): Actor {
  return { kind: "staff", id: member.id, email: member.email, role: member.role };
}

/**
 * A token acts as the staff member it belongs to, with their role: their
 * approval and their token's are one person's (two-person approval counts
 * people). The log names the token too. Only tokens with an owner have the
 * `review` scope (domain/scopes.ts).
 */
export function tokenActor(token: ApiToken): Actor | null {
  const { owner } = token;
  if (!owner) return null;
  return { kind: "staff", id: owner.id, email: `${owner.email} (token ${token.name})`, role: owner.role };
}

export interface ActionRequest extends ActionInput {
  /** The step the actor saw; null for words (notes, messages), which any step takes. */
  expected_step: Step | null;
  /** The older way to write to the submitter: a `comment` they are to see is a `message`. */
  to_submitter?: boolean;
  /** With `reject`: words for the submitter, beside the reason that stays with staff. */
  message?: string | null;
}

export type ActionOutcome = ActResult | { ok: false; error: "not_found" } | Refusal;

/**
 * One staff action on one recommendation: the recommendation must exist, an
 * assignee is resolved to an active staff member, and the object decides.
 */
export async function performAction(
  env: Env,
  id: string,
  request: ActionRequest,
  actor: Actor,
): Promise<ActionOutcome> {
  const found = await findById(env.DB, id);
  if (!found) return { ok: false, error: "not_found" };
  const { expected_step, to_submitter, message, ...input } = request;
  if (input.action === "comment" && to_submitter) input.action = "message";
  if (input.action === "assign" && input.assignee) {
    const member = await findActiveStaff(env.DB, input.assignee);
    if (!member)
      return { ok: false, error: "missing_field", field: "assignee", message: "no active staff member by that name" };
    input.assignee = member.id;
  }
  const object = recommendationObject(env, id);
  // An object that intake could not open is opened first (idempotent, from the D1 row).
  await object.open(openingOf(found));
  const result = await object.act(input, actor, expected_step);
  // The message follows the rejection it explains, as an event of its own that the submitter reads.
  if (result.ok && input.action === "reject" && message?.trim()) {
    await object.act({ action: "message", comment: message }, actor, result.snapshot.step);
  }
  return result;
}

/**
 * A coordinator lets reviewers have a file that keeps its metadata (a PDF
 * with its author, a video with its place). The decision is an event in the
 * hash-chained log, naming the file and its SHA-256, and then marks the file.
 */
export async function releaseFile(env: Env, id: string, fileId: string, actor: Actor): Promise<ActionOutcome> {
  const [found, file] = await Promise.all([findById(env.DB, id), findAttachment(env.DB, fileId)]);
  if (!found || !file || file.recSeq !== found.seq) return { ok: false, error: "not_found" };
  if (file.cleaned || file.releasedAt) {
    const step = (await recommendationObject(env, id).open(openingOf(found))).step;
    return { ok: false, error: "invalid_transition", step, message: "this file needs no release" };
  }
  const comment = `${file.filename} (sha256:${file.sha256}) released to reviewers with its metadata`;
  const result = await recommendationObject(env, id).act(
    { action: "release_file", file: fileId, comment },
    actor,
    null,
    { released: { id: file.id, sha256: file.sha256 } },
  );
  if (result.ok && actor.kind === "staff") await markReleased(env.DB, fileId, actor.id, result.event.at);
  return result;
}
