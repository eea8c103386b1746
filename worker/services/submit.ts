import { findUnattached, listAttachments } from "../db/attachments.ts";
import { claimKey, findKey, finishKey, releaseKey } from "../db/idempotency.ts";
import { findById, insertRecommendation } from "../db/recommendations.ts";
import { dueAt, parseDeadlineDays } from "../domain/deadlines.ts";
import { canonicalJson } from "../domain/event-log.ts";
import type { Locale } from "../domain/locales.ts";
import { newReceipt, receiptFromBytes } from "../domain/receipt.ts";
import type { RecommendationInput } from "../domain/recommendation.ts";
import { splitSensitive } from "../domain/sensitive.ts";
import { INITIAL_STEP, type Step } from "../domain/workflow.ts";
import { recommendationObject } from "../durable/recommendation.ts";
import { seal } from "../security/crypto.ts";
import { hmac, hmacKey } from "../security/derived-keys.ts";
import { sha256Hex } from "../security/encoding.ts";
import { dataKey } from "./data-key.ts";
import { type FileSummary, summarize } from "./files.ts";

export interface Submitted {
  id: string;
  reference: string;
  /** Shown once to the submitter; only its hash is stored. */
  receipt: string;
  step: Step;
  files: FileSummary[];
}

/** Some attachment ids are not finished uploads nobody has claimed: their positions in `attachments`. */
export class AttachmentsMissing extends Error {
  constructor(readonly indexes: number[]) {
    super("unknown or already used uploads");
  }
}

export interface IdempotencyKey {
  key: string;
  scope: "api" | "form";
}

/** A repeat with the same key but another body (API only). */
export class IdempotencyConflict extends Error {}
/** The first request with this key is still being stored. */
export class IdempotencyPending extends Error {}

const WAIT_MS = 200;
const WAIT_ROUNDS = 25;

/**
 * Takes a validated recommendation in exactly once per idempotency key (the
 * API's Idempotency-Key, or the form's one-time token). A repeat gets the
 * first answer, receipt included: the receipt of a keyed submission is an
 * HMAC of the key and the body, so it can be shown again without storing it.
 */
export async function submitOnce(
  env: Env,
  input: RecommendationInput,
  language: Locale,
  idempotency?: IdempotencyKey | "" | undefined,
): Promise<Submitted> {
  if (!idempotency) return store(env, input, language, newReceipt());
  const bodyHash = await sha256Hex(canonicalJson(input));
  // A form token with another body is a person who went back and changed the
  // form: a new recommendation, not a conflict. An API key must match its body.
  const scoped = idempotency.scope === "form" ? `form:${idempotency.key}:${bodyHash}` : `api:${idempotency.key}`;
  const keyHash = await sha256Hex(scoped);
  const receipt = receiptFromBytes(await hmac(await hmacKey(env.DATA_KEY, "receipts"), `${keyHash}:${bodyHash}`));

  for (let round = 0; round < WAIT_ROUNDS; round++) {
    if (await claimKey(env.DB, keyHash, bodyHash)) {
      try {
        const submitted = await store(env, input, language, receipt);
        await finishKey(env.DB, keyHash, submitted.id);
        return submitted;
      } catch (error) {
        await releaseKey(env.DB, keyHash);
        throw error;
      }
    }
    const held = await findKey(env.DB, keyHash);
    if (held && held.bodyHash !== bodyHash)
      throw new IdempotencyConflict("this Idempotency-Key was used for another body");
    const first = held?.recId ? await findById(env.DB, held.recId) : undefined;
    // The first answer's step: a new recommendation always starts in the initial step.
    if (first) {
      const files = (await listAttachments(env.DB, first.seq)).map(summarize);
      return { id: first.id, reference: first.reference, receipt, step: INITIAL_STEP, files };
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  throw new IdempotencyPending("the first request with this key is still being processed");
}

/**
 * D1 first (the commit point: row, tags, queue row and reference in one
 * batch), then its Durable Object. Opening the object is idempotent and
 * derived from the D1 row, so a failure there is repaired by opening it
 * again, never by a second submission.
 */
async function store(env: Env, input: RecommendationInput, language: Locale, receipt: string): Promise<Submitted> {
  const uploads = await findUnattached(env.DB, input.attachments);
  const missing = input.attachments.flatMap((a, i) => (uploads.some((u) => u.id === a) ? [] : [i]));
  if (missing.length > 0) throw new AttachmentsMissing(missing);
  const id = crypto.randomUUID();
  const createdAt = new Date().toISOString();
  const { open, sensitive } = splitSensitive(input);
  const { reference } = await insertRecommendation(env.DB, {
    id,
    language,
    createdAt,
    receiptHash: await sha256Hex(receipt),
    targetKind: input.target.kind,
    targetName: input.target.name,
    targetNameLatin: input.target.name_latin ?? null,
    submitterCountry: input.submitter.country,
    conductCountry: input.conduct.country,
    record: JSON.stringify(open),
    sealed: await seal(await dataKey(env), JSON.stringify(sensitive)),
    categories: input.conduct.categories,
    jurisdictions: input.jurisdictions,
    step: INITIAL_STEP,
    dueAt: dueAt(INITIAL_STEP, createdAt, parseDeadlineDays(env.DEADLINE_DAYS)),
    attachments: input.attachments,
  });
  const state = await recommendationObject(env, id).open(id, createdAt);
  return { id, reference, receipt, step: state.step, files: uploads.map(summarize) };
}
