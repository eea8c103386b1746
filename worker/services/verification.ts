import { listAttachments } from "../db/attachments.ts";
import { findById, type RecommendationRow } from "../db/recommendations.ts";
import {
  checkContent,
  checkFiles,
  checkLog,
  firstEvent,
  fixedByLog,
  type Head,
  type Problem,
  sealedSha256,
} from "../domain/custody.ts";
import { toHex } from "../domain/encoding.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import { firstRecordBytes, openFirstRecord } from "../files/sealed.ts";
import { open, sealContext } from "../security/crypto.ts";
import { dataKeys } from "../security/keys.ts";
import { readSealed, sha256OfStream } from "./download.ts";

export interface Verification {
  verified: boolean;
  head: Head | null;
  content_sha256: string | null;
  /** What was checked, in the order it was: the log, its head in D1, the content, the files (and their bytes). */
  checked: string[];
  problems: Problem[];
}

/**
 * `bytes`: every file is read back from storage and hashed (a few seconds for
 * hundreds of megabytes); without it each file's record and stored object are
 * checked, not its bytes. The API always reads the bytes; the detail page does
 * when asked.
 */
export async function verifyRecommendation(
  env: Env,
  id: string,
  options: { bytes: boolean },
): Promise<Verification | null> {
  const row = await findById(env.DB, id);
  return row ? verifyRow(env, row, options) : null;
}

export async function verifyRow(env: Env, row: RecommendationRow, options: { bytes: boolean }): Promise<Verification> {
  const object = recommendationObject(env, row.id);
  await object.open(openingOf(row));
  const [events, files, sealedHash] = await Promise.all([
    object.events(),
    listAttachments(env.DB, row.seq),
    openedSealedHash(env, row.id, row.sealed),
  ]);
  const fixed = fixedByLog(events);
  // The head D1 last recorded; before any action, the first event, which its row implies.
  const first = row.genesis ? await firstEvent(row.createdAt, JSON.parse(row.genesis)) : null;
  const recorded =
    row.eventSeq > 0 && row.headHash
      ? { seq: row.eventSeq, hash: row.headHash }
      : first && { seq: first.seq, hash: first.hash };
  const problems = [
    ...(await checkLog(events, recorded)),
    ...(first && events[0] && events[0].hash !== first.hash
      ? [{ check: "chain" as const, seq: 1, message: "the first event is not the one intake recorded" }]
      : []),
    ...(await checkContent(fixed, JSON.parse(row.record), sealedHash)),
    ...checkFiles(fixed, files),
  ];
  const checked = ["chain", ...(recorded ? ["head"] : []), ...(fixed.content_sha256 ? ["content"] : []), "files"];
  for (const file of files) {
    // A purged original is gone by design: its hash in the log and in D1 is what remains to check.
    if (problems.some((p) => p.file === file.id) || fixed.purgedFiles.has(file.id)) continue;
    const stored = await storedProblem(env, file, options.bytes);
    if (stored) problems.push({ check: "files", file: file.id, message: stored });
  }
  if (options.bytes) checked.push("file bytes");
  const last = events.at(-1);
  return {
    verified: problems.length === 0,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    content_sha256: fixed.content_sha256,
    checked,
    problems,
  };
}

/** The hash of the sealed fields as they open for this row, or null when they do not. */
async function openedSealedHash(env: Env, id: string, sealed: string): Promise<string | null> {
  try {
    return await sealedSha256(JSON.parse(await open(await dataKeys(env), sealed, sealContext(id))));
  } catch {
    return null;
  }
}

/** Why a file's stored original does not hold, or null when it does. */
async function storedProblem(
  env: Env,
  file: { id: string; sha256: string; originalKey: string; size: number },
  bytes: boolean,
): Promise<string | null> {
  if (!bytes) return firstRecordProblem(env, file);
  try {
    const stored = await readSealed(env, file.originalKey);
    if (!stored) return `file ${file.id} is gone from storage`;
    return (await sha256OfStream(stored.body)) === file.sha256 ? null : `file ${file.id}'s bytes have another hash`;
  } catch {
    // Decryption fails on bytes that were altered, cut, or belong to another object.
    return `file ${file.id}'s stored bytes do not open: altered, cut or swapped`;
  }
}

/**
 * The cheap check of a stored original: it is there, its size is the one
 * recorded, and its first record opens under its own name (bytes moved from
 * another object do not); a file of one record (64 KiB) is hashed whole.
 */
async function firstRecordProblem(
  env: Env,
  file: { id: string; sha256: string; originalKey: string; size: number },
): Promise<string | null> {
  const head = await env.FILES.head(file.originalKey);
  if (!head) return `file ${file.id} is gone from storage`;
  const meta = head.customMetadata ?? {};
  if (meta.size !== String(file.size)) return `file ${file.id} has another size in storage`;
  const first = await env.FILES.get(file.originalKey, { range: { offset: 0, length: firstRecordBytes(meta) } });
  if (!first) return `file ${file.id} is gone from storage`;
  try {
    const plain = await openFirstRecord(
      await dataKeys(env),
      meta,
      file.originalKey,
      new Uint8Array(await first.arrayBuffer()),
    );
    if (
      file.size === plain.length &&
      toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", plain))) !== file.sha256
    ) {
      return `file ${file.id}'s bytes have another hash`;
    }
    return null;
  } catch {
    return `file ${file.id}'s stored bytes do not open: altered, cut or swapped`;
  }
}
