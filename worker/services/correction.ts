import { findById, listVersion1, type RecommendationRow, replaceRecord } from "../db/recommendations.ts";
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
 * misspelt name, a wrong date), as a `correct` event: the first submission
 * stays provable and the current one checks. The files and the sealed
 * fields (contact, safety notes) stay as sent.
 */
export async function correctRecord(
  env: Env,
  id: string,
  correction: Correction,
  actor: Actor,
): Promise<ActionOutcome> {
  const row = await findById(env.DB, id);
  if (!row) return { ok: false, error: "not_found" };
  const before = readRecord(row.record);
  const record = { ...correction.record, attachments: before.attachments } as OpenRecord;
  return replaceContent(env, row, record, {
    action: "correct",
    comment: correction.reason,
    actor,
    expectedStep: correction.expected_step,
  });
}

/**
 * Stores version 2 of a recommendation stored in version 1 (by the code
 * before version 2), as the system, with an `upgrade` event keeping the
 * version-1 fingerprint beside the new one: the record verifies before and
 * after. Nothing is dropped (domain/recommendation.ts `upgrade`).
 */
export async function upgradeStored(env: Env, row: RecommendationRow): Promise<ActionOutcome> {
  const record = readRecord(row.record);
  return replaceContent(env, row, record, {
    action: "upgrade",
    comment: "stored as version 2 of the case file",
    actor: { kind: "system" },
    expectedStep: null,
  });
}

/** Up to `limit` recommendations still stored in version 1, upgraded; how many were. */
export async function upgradeBatch(env: Env, limit: number): Promise<number> {
  const ids = await listVersion1(env.DB, limit);
  let upgraded = 0;
  for (const id of ids) {
    const row = await findById(env.DB, id);
    if (row && (await upgradeStored(env, row)).ok) upgraded++;
  }
  return upgraded;
}

/**
 * Replaces the part in clear with `record` and logs why, keeping both
 * fingerprints in the event's data (`content_sha256`, `previous_content_sha256`).
 * D1 changes first, only if nobody changed it meanwhile; then the object logs
 * the event, and if it refuses (a stale step, a role), D1 is put back.
 */
async function replaceContent(
  env: Env,
  row: RecommendationRow,
  record: OpenRecord,
  change: { action: "correct" | "upgrade"; comment: string; actor: Actor; expectedStep: Step | null },
): Promise<ActionOutcome> {
  const object = recommendationObject(env, row.id);
  await object.open(openingOf(row));
  const fixed = fixedByLog(await object.events());
  // A recommendation from before fingerprints gets its sealed half's hash fixed now.
  const sealedHash = fixed.sealed_sha256 ?? (await sealedSha256(JSON.parse(await openSealed(env, row))));
  const next = await contentSha256(record, sealedHash);
  // The content as stored (a version-1 record hashes as it was stored, not as it is read).
  const previous = await contentSha256(JSON.parse(row.record), sealedHash);
  if (next === previous) {
    return { ok: false, error: "missing_field", field: "record", message: "the change changes nothing" };
  }
  const text = JSON.stringify(record);
  if (!(await replaceRecord(env.DB, row.id, row.record, { record: text, ...indexColumns(record) }))) {
    return { ok: false, error: "invalid_transition", step: row.step as Step, message: "changed meanwhile; reload" };
  }
  const data: EventData = {
    content_sha256: next,
    previous_content_sha256: fixed.content_sha256 ?? previous,
    ...(fixed.sealed_sha256 ? {} : { sealed_sha256: sealedHash }),
  };
  const input = { action: change.action, comment: change.comment, content_sha256: next };
  const result = await object.act(input, change.actor, change.expectedStep, data).catch((error: unknown) => error);
  if (result instanceof Error || !(result as ActionOutcome).ok) {
    await replaceRecord(env.DB, row.id, text, { record: row.record, ...indexColumns(readRecord(row.record)) });
    if (result instanceof Error) throw result;
  }
  return result as ActionOutcome;
}

async function openSealed(env: Env, row: { id: string; sealed: string }): Promise<string> {
  return open(await dataKeys(env), row.sealed, sealContext(row.id));
}
