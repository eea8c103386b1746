import { settledStatement } from "../db/filings.ts";
import { findById } from "../db/recommendations.ts";
import type { Filing, FilingInput, OutcomeInput } from "../domain/filings.ts";
import { readRecord } from "../domain/sensitive.ts";
import type { Actor } from "../domain/workflow.ts";
import { type ActResult, openingOf, recommendationObject } from "../durable/recommendation.ts";
import type { ActionOutcome } from "./review.ts";
import { buildSubmissionDocx } from "./submission-docx.ts";

/**
 * Filings with governments and their outcomes. The recommendation's object
 * keeps them (they move its step) and logs each as an event whose data, in
 * the hash chain, holds the filing or the outcome; D1 gets a copy.
 */

const by = (actor: Actor) => (actor.kind === "staff" ? actor.email : actor.kind);

export type FilingResult = (ActResult & { ok: true; filing: Filing }) | Exclude<ActionOutcome, { ok: true }>;

/** Where the submission document sent with a filing is kept. */
export const packetKey = (recId: string, filingId: string) => `packets/${recId}/${filingId}.docx`;

/**
 * Records a filing with a government; the first one moves an approved
 * recommendation to `filed`. With `packet`, the submission document for the
 * programme is made now, kept, and its SHA-256 recorded with the filing: what
 * was sent can be shown later, byte for byte.
 */
export async function recordFiling(
  env: Env,
  recId: string,
  input: FilingInput,
  actor: Actor,
  options: { packet?: boolean } = {},
): Promise<FilingResult> {
  const found = await findById(env.DB, recId);
  if (!found) return { ok: false, error: "not_found" };
  const filing: Filing = {
    ...input,
    id: crypto.randomUUID(),
    filed_by: by(actor),
    outcome: null,
    follow_up_due: false,
  };
  if (options.packet) {
    const document = await buildSubmissionDocx(env, recId, input.programme);
    if (!document) return { ok: false, error: "not_found" };
    await env.FILES.put(packetKey(recId, filing.id), document.bytes, { sha256: document.sha256 });
    filing.packet_sha256 = document.sha256;
  }
  const object = recommendationObject(env, recId);
  await object.open(openingOf(found));
  const comment = `Filed with ${filing.programme} on ${filing.filed_on} (${filing.channel}, ${filing.addressee})`;
  const result = await object.act({ action: "file", filing, comment }, actor, null, { filing });
  if (!result.ok && options.packet) await env.FILES.delete(packetKey(recId, filing.id));
  return result.ok ? { ...result, filing } : result;
}

/**
 * Records what a government did with a filing (or changes it): the step
 * becomes `designated` once any government designated, `not_designated`
 * once all answered and none did.
 */
export async function recordOutcome(
  env: Env,
  recId: string,
  filingId: string,
  input: OutcomeInput,
  actor: Actor,
): Promise<FilingResult> {
  const found = await findById(env.DB, recId);
  if (!found) return { ok: false, error: "not_found" };
  const object = recommendationObject(env, recId);
  const state = await object.open(openingOf(found));
  const filing = state.filings.find((f) => f.id === filingId);
  if (!filing) return { ok: false, error: "not_found" };
  const targets = readRecord(found.record).targets.length;
  const wrong = (input.targets ?? []).find((index) => index >= targets);
  if (wrong !== undefined) {
    return { ok: false, error: "missing_field", field: "targets", message: `there is no target ${wrong + 1}` };
  }
  const outcome = {
    ...input,
    targets: input.targets?.length ? [...new Set(input.targets)].sort((a, b) => a - b) : null,
    by: by(actor),
  };
  const comment = `${filing.programme}: ${outcome.outcome.replace("_", " ")} on ${outcome.on}${outcome.list_reference ? ` (${outcome.list_reference})` : ""}`;
  const result = await object.act({ action: "record_outcome", filing_id: filingId, outcome, comment }, actor, null, {
    outcome: { ...outcome, filing: filingId },
  });
  if (!result.ok) return result;
  // Answered: what the designation watch suggested for it is settled.
  await settledStatement(env.DB, filingId).run();
  return { ...result, filing: result.snapshot.filings.find((f) => f.id === filingId) as Filing };
}
