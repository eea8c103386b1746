import { insertRecommendation } from "../db/recommendations.ts";
import type { Locale } from "../domain/locales.ts";
import { newReceipt } from "../domain/receipt.ts";
import type { RecommendationInput } from "../domain/recommendation.ts";
import { splitSensitive } from "../domain/sensitive.ts";
import { INITIAL_STEP, type Step } from "../domain/workflow.ts";
import { recommendationObject } from "../durable/recommendation.ts";
import { seal } from "../security/crypto.ts";
import { sha256Hex } from "../security/encoding.ts";
import { dataKey } from "./data-key.ts";

export interface Submitted {
  id: string;
  reference: string;
  /** Shown once to the submitter; only its hash is stored. */
  receipt: string;
  step: Step;
}

/**
 * Takes a validated recommendation in: D1 first (the commit point: row,
 * tags, queue row and reference in one batch), then its Durable Object.
 * Opening the object is idempotent and derived from the D1 row, so a failure
 * there is repaired by opening it again later, never by a second submission.
 */
export async function submitRecommendation(env: Env, input: RecommendationInput, language: Locale): Promise<Submitted> {
  const id = crypto.randomUUID();
  const receipt = newReceipt();
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
  });
  const state = await recommendationObject(env, id).open(id, createdAt);
  return { id, reference, receipt, step: state.step };
}
