import { deleteDraft, findDraft, putDraft } from "../db/drafts.ts";
import { sha256Hex } from "../domain/encoding.ts";
import { newReceipt, normalizeReceipt } from "../domain/receipt.ts";
import { open, seal } from "../security/crypto.ts";
import { dataKey, dataKeys } from "../security/keys.ts";
import { DRAFT_LOOKUPS, refund } from "../security/rate-limit.ts";
import { spendFor } from "../security/throttle.ts";

/**
 * "Save and continue later": what the form holds, sealed, found again by a
 * code of 100 random bits that only the person holds (D1 keeps its hash).
 * Nothing is checked on saving: a draft may be half written. It lasts 30
 * days from its last save, and goes once the recommendation is sent. The
 * files it names are kept as long as it is (their ids, random, are in clear).
 */
export const DRAFT_DAYS = 30;

/** The form's values as the form posts them (never files: those are chosen again). */
export type DraftValues = Record<string, unknown>;

const context = (codeHash: string) => `draft:${codeHash}`;

/** Saves `values`: under `code` when it names a draft still kept, else under a new code. Returns the code. */
export async function saveDraft(env: Env, values: DraftValues, code?: string): Promise<string> {
  const now = new Date();
  const kept = code ? normalizeReceipt(code) : undefined;
  const keptHash = kept ? await sha256Hex(kept) : undefined;
  const reuse = keptHash && (await findDraft(env.DB, keptHash, now.toISOString())) !== null;
  const finalCode = reuse && kept ? kept : newReceipt();
  const codeHash = await sha256Hex(finalCode);
  await putDraft(env.DB, {
    codeHash,
    files: filesOf(values),
    sealed: await seal(await dataKey(env), JSON.stringify(values), context(codeHash)),
    savedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + DRAFT_DAYS * 86_400_000).toISOString(),
  });
  return finalCode;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The upload ids a draft holds: its files, and each evidence item's. */
function filesOf(values: DraftValues): string[] {
  const ids = (list: unknown) =>
    Array.isArray(list) ? list.filter((id): id is string => UPLOAD_ID.test(String(id))) : [];
  const evidence = values.evidence as { items?: { attachments?: unknown }[] } | undefined;
  const items = Array.isArray(evidence?.items) ? evidence.items : [];
  return [...ids(values.attachments), ...items.flatMap((item) => ids(item?.attachments))];
}

/** The values of the draft `code`, or null; wrong codes count against the client, as receipt codes do. */
export async function openDraft(env: Env, code: string, headers: Headers): Promise<DraftValues | null> {
  const attempt = await spendFor(env, headers, [[DRAFT_LOOKUPS]]);
  const codeHash = await sha256Hex(normalizeReceipt(code));
  const sealed = await findDraft(env.DB, codeHash, new Date().toISOString());
  await refund(env.DB, attempt, sealed ? 1 : 0);
  if (!sealed) return null;
  return JSON.parse(await open(await dataKeys(env), sealed, context(codeHash))) as DraftValues;
}

/** Forgets a draft once its recommendation is sent. */
export async function discardDraft(env: Env, code: string): Promise<void> {
  await deleteDraft(env.DB, await sha256Hex(normalizeReceipt(code)));
}
