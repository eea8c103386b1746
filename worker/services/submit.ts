import { findUnattached, listAttachments } from "../db/attachments.ts";
import { claimKey, findKey, releaseKey } from "../db/idempotency.ts";
import { findById, findIdByReceiptHash, insertRecommendation } from "../db/recommendations.ts";
import { contentSha256, type Genesis, sealedSha256 } from "../domain/custody.ts";
import { dueAt, parseDeadlineDays } from "../domain/deadlines.ts";
import { randomBytes, sha256Hex, toBase64Url } from "../domain/encoding.ts";
import { AppError } from "../domain/errors.ts";
import { canonicalJson } from "../domain/event-log.ts";
import type { Locale } from "../domain/locales.ts";
import { newReceipt, receiptFromBytes } from "../domain/receipt.ts";
import { indexColumns, type RecommendationInput } from "../domain/recommendation.ts";
import { type RegimeWarning, regimeCase, regimeWarnings } from "../domain/regimes.ts";
import { splitSensitive } from "../domain/sensitive.ts";
import { INITIAL_STEP, type Step } from "../domain/workflow.ts";
import { seal, sealContext } from "../security/crypto.ts";
import { hmac, hmacKey, keyedHash } from "../security/derived-keys.ts";
import { dataKey } from "../security/keys.ts";
import { type Counted, limitsGate, type Spent, spend, waitAfter } from "../security/rate-limit.ts";
import { rateLimited } from "../security/throttle.ts";
import { type FileSummary, summarize } from "./files.ts";

export interface Submitted {
  id: string;
  reference: string;
  /** Shown once to the submitter; only its hash is stored. */
  receipt: string;
  step: Step;
  files: FileSummary[];
  /** A repeat of a submission already taken in (same key and body): the first answer again. */
  replay: boolean;
  /** The content hash fixed in the first event (domain/custody.ts). */
  fingerprint: string | null;
  /** Programmes asked for that cannot reach the conduct, a target or anyone named: accepted, and said. */
  warnings: RegimeWarning[];
}

/**
 * Some attachment ids are not finished uploads nobody has claimed: a 422
 * naming each one's position (`attachments[i]`), which the form reads back.
 */
function attachmentsMissing(indexes: number[]): AppError {
  return new AppError(
    422,
    { key: "errors.summary" },
    {
      code: "attachments_missing",
      fields: indexes.map((i) => ({ path: `attachments[${i}]`, key: "errors.attachment_unknown" })),
    },
  );
}

export interface IdempotencyKey {
  key: string;
  scope: "api" | "form";
  /** The body as it was sent (a version-1 body hashes as version 1, as before version 2 existed). */
  sent?: unknown;
}

const WAIT_MS = 200;
const WAIT_ROUNDS = 25;

/**
 * Takes a validated recommendation in exactly once per idempotency key (the
 * API's Idempotency-Key, or the form's one-time token). A repeat gets the
 * first answer, receipt included: the receipt of a keyed submission is an
 * HMAC of the key and the body, so it can be shown again without storing it,
 * and its hash (a unique column) makes a second recommendation for the same
 * key and body impossible. The key's recommendation is recorded in the intake
 * batch itself, so no failure after the commit can separate the two.
 *
 * `limits` (the submission's rate-limit buckets) are counted in the first
 * write: the key's claim, or the intake batch when there is no key. Past a
 * limit that write stores nothing and the answer is 429; counted and judged
 * in the round trip the submission makes anyway.
 */
export async function submitOnce(
  env: Env,
  input: RecommendationInput,
  language: Locale,
  idempotency?: IdempotencyKey | "" | undefined,
  limits: readonly Spent[] = [],
): Promise<Submitted> {
  const warnings = regimeWarnings(regimeCase(input));
  return { ...(await takeIn(env, input, language, idempotency, limits)), warnings };
}

/** The rate limits as a gate for a first write, and what to say when it refused. */
function counted(env: Env, limits: readonly Spent[]) {
  const now = new Date();
  return {
    gate: limits.length > 0 ? limitsGate(env.DB, limits, now) : undefined,
    refuseIfOver(gated: readonly D1Result[]) {
      const wait = waitAfter(limits, gated as D1Result<Counted>[], now);
      if (wait > 0) throw rateLimited(wait);
    },
    /** Counts the attempt on its own, for a submission refused before its first write. */
    async countAlone() {
      const wait = limits.length > 0 ? await spend(env.DB, limits, now) : 0;
      if (wait > 0) throw rateLimited(wait);
    },
  };
}

async function takeIn(
  env: Env,
  input: RecommendationInput,
  language: Locale,
  idempotency: IdempotencyKey | "" | undefined,
  limits: readonly Spent[],
): Promise<Omit<Submitted, "warnings">> {
  if (!idempotency) return store(env, input, language, newReceipt(), undefined, counted(env, limits));
  // Keyed hashes: the body holds contact details, and a plain hash of it would
  // let anyone who reads D1 confirm a guess about who sent what.
  const bodyHash = await keyedHash(env.DATA_KEY, "idempotency", canonicalJson(idempotency.sent ?? input));
  // A form token with another body is a person who went back and changed the
  // form: a new recommendation, not a conflict. An API key must match its body.
  const scoped = idempotency.scope === "form" ? `form:${idempotency.key}:${bodyHash}` : `api:${idempotency.key}`;
  const keyHash = await keyedHash(env.DATA_KEY, "idempotency", scoped);
  const receipt = receiptFromBytes(await hmac(await hmacKey(env.DATA_KEY, "receipts"), `${keyHash}:${bodyHash}`));
  const receiptHash = await sha256Hex(receipt);

  for (let round = 0; round < WAIT_ROUNDS; round++) {
    // Counted once, with the first claim: a wait for another request with the key is not a new attempt.
    const limited = counted(env, round === 0 ? limits : []);
    const { claimed, gated } = await claimKey(env.DB, keyHash, bodyHash, limited.gate);
    limited.refuseIfOver(gated);
    if (claimed) {
      try {
        return await store(env, input, language, receipt, keyHash);
      } catch (error) {
        // The batch failed: perhaps because this very submission is stored
        // already (its key's row expired, or a claim was taken over while the
        // first request was still committing). Then that is the answer.
        const stored = await findIdByReceiptHash(env.DB, receiptHash);
        if (stored) return answerAgain(env, stored, receipt);
        await releaseKey(env.DB, keyHash);
        throw error;
      }
    }
    const held = await findKey(env.DB, keyHash);
    if (held && held.bodyHash !== bodyHash)
      throw new AppError(409, "This Idempotency-Key was used for another body.", { code: "idempotency_key_reused" });
    const first = held?.recId ? await findById(env.DB, held.recId) : undefined;
    if (first) return answerAgain(env, first, receipt);
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  throw new AppError(409, "The first request with this key is still being processed; try again shortly.", {
    code: "in_progress",
  });
}

/** The first answer once more. */
async function answerAgain(
  env: Env,
  first: { id: string; reference: string; seq: number; genesis: string | null },
  receipt: string,
): Promise<Omit<Submitted, "warnings">> {
  const files = (await listAttachments(env.DB, first.seq)).map(summarize);
  // The first answer's step: a new recommendation always starts in the initial step.
  const fingerprint = first.genesis ? (JSON.parse(first.genesis) as Genesis).content_sha256 : null;
  return { id: first.id, reference: first.reference, receipt, step: INITIAL_STEP, files, replay: true, fingerprint };
}

/**
 * D1 is the commit point: row, tags, queue row, reference and the key's
 * answer in one batch, everything the 201 promises, and all intake does.
 * Its workflow object is not opened here: opening is idempotent and derived
 * from the D1 row (its first event carries the intake time and the content
 * hash fixed in `genesis`), so the first reader opens it (a reviewer's page,
 * the submitter's receipt, an action) or the Cron Trigger does within five
 * minutes, whichever comes first (services/reconcile.ts). Screening waits for
 * the Cron Trigger too (services/screening.ts). A burst of submissions is
 * taken in without an object or a queue message for each on the way.
 */
async function store(
  env: Env,
  input: RecommendationInput,
  language: Locale,
  receipt: string,
  keyHash?: string,
  limited?: ReturnType<typeof counted>,
): Promise<Omit<Submitted, "warnings">> {
  const uploads = await findUnattached(env.DB, input.attachments);
  const missing = input.attachments.flatMap((a, i) => (uploads.some((u) => u.id === a) ? [] : [i]));
  if (missing.length > 0) {
    // Refused before the batch that counts it: counted all the same, so no one can send without limit.
    await limited?.countAlone();
    throw attachmentsMissing(missing);
  }
  const id = crypto.randomUUID();
  const createdAt = new Date().toISOString();
  const { open, sensitive } = splitSensitive(input);
  // The salt makes the content hash unguessable from the part in clear (domain/custody.ts).
  const sealed = { ...sensitive, salt: toBase64Url(randomBytes(16)) };
  const sealedHash = await sealedSha256(sealed);
  const genesis: Genesis = {
    content_sha256: await contentSha256(open, sealedHash),
    sealed_sha256: sealedHash,
    files: uploads.map(({ id, sha256 }) => ({ id, sha256 })),
  };
  const { reference, gated } = await insertRecommendation(
    env.DB,
    {
      id,
      language,
      createdAt,
      receiptHash: await sha256Hex(receipt),
      ...indexColumns(input),
      record: JSON.stringify(open),
      sealed: await seal(await dataKey(env), JSON.stringify(sealed), sealContext(id)),
      genesis: JSON.stringify(genesis),
      step: INITIAL_STEP,
      dueAt: dueAt(INITIAL_STEP, createdAt, parseDeadlineDays(env.DEADLINE_DAYS)),
      attachments: input.attachments,
      keyHash,
    },
    limited?.gate,
  );
  limited?.refuseIfOver(gated);
  if (!reference) throw new Error("intake batch returned no reference");
  const files = uploads.map(summarize);
  return { id, reference, receipt, step: INITIAL_STEP, files, replay: false, fingerprint: genesis.content_sha256 };
}
