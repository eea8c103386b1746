import { attachLate, detachLate } from "../db/attachments.ts";
import { findIdByReceiptHash } from "../db/recommendations.ts";
import { fixedByLog } from "../domain/custody.ts";
import { sha256Hex } from "../domain/encoding.ts";
import type { EventData } from "../domain/event-log.ts";
import type { Outcome, Programme } from "../domain/filings.ts";
import { normalizeReceipt } from "../domain/receipt.ts";
import { LIMITS } from "../domain/recommendation.ts";
import { isClosed } from "../domain/retention.ts";
import { type OpenRecord, readRecord } from "../domain/sensitive.ts";
import { type ActionInput, allowedActions, type Step } from "../domain/workflow.ts";
import {
  type ActResult,
  type Opening,
  openingOf,
  recommendationObject,
  type Snapshot,
} from "../durable/recommendation.ts";
import { RECEIPT_LOOKUPS, refund } from "../security/rate-limit.ts";
import { spendFor } from "../security/throttle.ts";
import { filesOf, pendingFiles } from "./files.ts";

/** What a receipt shows its holder: never staff names, never other recommendations. */
export interface SubmitterView {
  id: string;
  reference: string;
  step: Step;
  /** What each government that answered decided, and when (never whom it was sent to). */
  decisions: { programme: Programme; outcome: Outcome; on: string }[];
  messages: { at: string; from: "reviewers" | "you"; text: string }[];
  /** What they sent, without the sealed fields (contact, safety notes): a seized receipt does not name them. */
  sent: OpenRecord;
  /** Each file with its fingerprint, and whether reviewers get it without its hidden metadata. */
  attachments: { id: string; name: string; size: number; sha256: string; cleaned: boolean }[];
  /** The content hash the log fixed: what the submitter can later prove they sent. */
  fingerprint: string | null;
  canRespond: boolean;
  /** Whether they may write unprompted now (while a change request is open, their writing is the answer). */
  canWrite: boolean;
  canWithdraw: boolean;
  canAddEvidence: boolean;
  /** After withdrawing: whether they may ask for their contact details and files to be erased. */
  canErase: boolean;
  /**
   * What happens to their contact details and files: deleted on a date
   * (planned; at their request or at the end of the retention period), kept
   * for now by the coalition (held), or deleted already (done). Null while
   * the review goes on.
   */
  erasure: { state: "planned" | "held" | "done"; on: string | null; asked: boolean } | null;
}

/**
 * Stands in for a recommendation when a code opens none, so that a wrong code
 * costs the same work as a right one: the same queries, the same calls to an
 * object, the same write to the rate limit. Only the values differ.
 */
const DECOY = {
  id: "receipt-decoy",
  reference: "",
  seq: -1,
  createdAt: "2000-01-01T00:00:00.000Z",
  genesis: null,
  record: '{"schema_version":2}',
};

/**
 * What a receipt opens, or null. Only the receipt's hash is stored, so the
 * lookup is by hash; each lookup is counted per client (a keyed, rotating
 * hash, never an address) before it is judged, and given back when the code
 * was right, so only wrong codes use up the limit.
 */
export async function lookupReceipt(env: Env, receipt: string, headers: Headers): Promise<SubmitterView | null> {
  const attempt = await spendFor(env, headers, [[RECEIPT_LOOKUPS]]);
  const found = await findIdByReceiptHash(env.DB, await sha256Hex(normalizeReceipt(receipt)));
  const [view] = await Promise.all([submitterView(env, found ?? DECOY), refund(env.DB, attempt, found ? 1 : 0)]);
  return found ? view : null;
}

/** Why late evidence was not taken: over the files-per-recommendation limit, or ids that are not finished uploads. */
export type EvidenceRefusal = { ok: false; error: "too_many_files" } | { ok: false; error: "unknown_upload" };

/**
 * Ties finished uploads to the recommendation and logs them, with their
 * SHA-256, as an `add_evidence` event: the chain of custody of late
 * evidence. The files are attached first (all or none, within the limit of
 * files per recommendation), so the log never names a file D1 does not hold;
 * if the workflow then refuses, they are let go again.
 */
export async function addEvidence(
  env: Env,
  view: SubmitterView,
  ids: readonly string[],
): Promise<ActResult | EvidenceRefusal | null> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return null;
  const files = await pendingFiles(env, unique);
  if (files.length !== unique.length) return { ok: false, error: "unknown_upload" };
  const attached = await attachLate(env.DB, view.id, unique, LIMITS.attachments);
  if (attached !== "attached")
    return { ok: false, error: attached === "too_many" ? "too_many_files" : "unknown_upload" };
  const result = await actAsSubmitter(
    env,
    view,
    {
      action: "add_evidence",
      comment: files.map((f) => `${f.name} (${f.size} bytes) sha256:${f.sha256}`).join("\n"),
    },
    { files: files.map(({ id, sha256 }) => ({ id, sha256 })) },
  );
  if (!result.ok) await detachLate(env.DB, view.id, unique);
  return result;
}

/**
 * The submitter answers a change request, with or without files: the files
 * are added first (their own event), then the answer returns the
 * recommendation to the step that asked.
 */
export async function answer(
  env: Env,
  view: SubmitterView,
  message: string,
  ids: readonly string[],
): Promise<ActResult | EvidenceRefusal> {
  if (!view.canRespond) return actAsSubmitter(env, view, { action: "respond", comment: message });
  const added = await addEvidence(env, view, ids);
  if (added && !added.ok) return added;
  return actAsSubmitter(env, view, { action: "respond", comment: message });
}

/**
 * The submitter writes to the reviewers, with or without files. While a
 * change request is open their words are its answer (back to the step that
 * asked); otherwise a message that leaves the step as it is. Files alone
 * are late evidence.
 */
export async function write(
  env: Env,
  view: SubmitterView,
  message: string,
  ids: readonly string[],
): Promise<ActResult | EvidenceRefusal | null> {
  if (view.canRespond && message) return answer(env, view, message, ids);
  const added = ids.length > 0 ? await addEvidence(env, view, ids) : null;
  if (!message || (added && !added.ok)) return added;
  return actAsSubmitter(env, view, { action: "message", comment: message });
}

/** A submitter's action (answer, withdraw) on the recommendation their receipt opened. */
export function actAsSubmitter(
  env: Env,
  view: SubmitterView,
  input: ActionInput,
  data?: EventData,
): Promise<ActResult> {
  return recommendationObject(env, view.id).act(input, { kind: "submitter" }, null, data);
}

export async function submitterView(
  env: Env,
  found: Opening & { reference: string; seq: number; record: string },
): Promise<SubmitterView> {
  const object = recommendationObject(env, found.id);
  // open() returns the state, and opens an object intake could not reach (idempotent).
  const state = await object.open(openingOf(found));
  const [events, files] = await Promise.all([object.readBySubmitter(), filesOf(env, found.seq)]);
  const submitter = { kind: "submitter" } as const;
  const actions = allowedActions(state, submitter);
  return {
    id: found.id,
    reference: found.reference,
    step: state.step,
    decisions: state.filings.flatMap((f) =>
      f.outcome ? [{ programme: f.programme, outcome: f.outcome.outcome, on: f.outcome.on }] : [],
    ),
    // Files they added are listed with the files, not as a line of the conversation.
    messages: events
      .filter((e) => e.to_submitter && e.comment && e.action !== "add_evidence")
      .map((e) => ({ at: e.at, from: e.actor === "submitter" ? "you" : "reviewers", text: e.comment as string })),
    sent: readRecord(found.record),
    attachments: files.map(({ id, name, size, sha256, cleaned }) => ({ id, name, size, sha256, cleaned })),
    fingerprint: fixedByLog(events).content_sha256,
    canAddEvidence: actions.includes("add_evidence"),
    canRespond: actions.includes("respond"),
    canWrite: actions.includes("respond") || actions.includes("message"),
    canWithdraw: actions.includes("withdraw"),
    canErase: actions.includes("request_erasure"),
    erasure: erasureOf(state),
  };
}

/** What the status page says will happen, or happened, to the submitter's contact details and files. */
export function erasureOf(state: Snapshot): SubmitterView["erasure"] {
  const asked = state.eraseAt !== null;
  if (state.purgedAt) return { state: "done", on: state.purgedAt.slice(0, 10), asked };
  if (state.held && (asked || isClosed(state.step))) return { state: "held", on: null, asked };
  return state.purgeDueAt ? { state: "planned", on: state.purgeDueAt.slice(0, 10), asked } : null;
}
