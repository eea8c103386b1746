import { findById, replaceRecord } from "../db/recommendations.ts";
import { contentSha256, fixedByLog, sealedSha256 } from "../domain/custody.ts";
import type { EventData } from "../domain/event-log.ts";
import { type CorrectedRecord, indexColumns } from "../domain/recommendation.ts";
import { type OpenRecord, readRecord } from "../domain/sensitive.ts";
import type { Actor, Step } from "../domain/workflow.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import { open, sealContext } from "../security/crypto.ts";
import { dataKeys } from "../security/keys.ts";
import type { ActionOutcome } from "./review.ts";

export interface Correction {
  expected_step: Step;
  /** Why: the event's comment. */
  reason: string;
  record: CorrectedRecord;
}

/**
 * A coordinator corrects the part of a submission stored in clear (a
 * misspelt name, a wrong date). The log keeps both fingerprints: the
 * `correct` event's data holds the new `content_sha256` and the one it
 * replaces, so the first submission stays provable and the current one
 * checks. D1 changes first, only if nobody changed it meanwhile; then the
 * object logs the event, and if it refuses (a stale step, a role), D1 is put
 * back. The files and the sealed fields (contact, safety notes) stay as sent.
 */
export async function correctRecord(
  env: Env,
  id: string,
  correction: Correction,
  actor: Actor,
): Promise<ActionOutcome> {
  const row = await findById(env.DB, id);
  if (!row) return { ok: false, error: "not_found" };
  const object = recommendationObject(env, id);
  await object.open(openingOf(row));
  const fixed = fixedByLog(await object.events());
  const before = readRecord(row.record);
  const record = { ...correction.record, attachments: before.attachments } as OpenRecord;
  // A recommendation from before fingerprints gets its sealed half's hash fixed now.
  const sealedHash = fixed.sealed_sha256 ?? (await sealedSha256(JSON.parse(await openSealed(env, row))));
  const next = await contentSha256(record, sealedHash);
  // The content as stored (a version-1 record hashes as it was stored, not as it is read).
  const previous = await contentSha256(JSON.parse(row.record), sealedHash);
  if (next === previous) {
    return { ok: false, error: "missing_field", field: "record", message: "the correction changes nothing" };
  }
  const text = JSON.stringify(record);
  const stored = { record: text, ...indexColumns(record) };
  if (!(await replaceRecord(env.DB, id, row.record, stored))) {
    return { ok: false, error: "invalid_transition", step: row.step as Step, message: "changed meanwhile; reload" };
  }
  const data: EventData = {
    content_sha256: next,
    previous_content_sha256: fixed.content_sha256 ?? previous,
    ...(fixed.sealed_sha256 ? {} : { sealed_sha256: sealedHash }),
  };
  const input = { action: "correct" as const, comment: correction.reason, content_sha256: next };
  const result = await object.act(input, actor, correction.expected_step, data).catch((error: unknown) => error);
  if (result instanceof Error || !(result as ActionOutcome).ok) {
    await replaceRecord(env.DB, id, text, { record: row.record, ...indexColumns(before) });
    if (result instanceof Error) throw result;
  }
  return result as ActionOutcome;
}

async function openSealed(env: Env, row: { id: string; sealed: string }): Promise<string> {
  return open(await dataKeys(env), row.sealed, sealContext(row.id));
}
