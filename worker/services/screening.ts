import { findById } from "../db/recommendations.ts";
import {
  candidatesByKeys,
  clearMatchesStatement,
  decideMatches,
  findMatch,
  listedByIds,
  markScreenedStatement,
  type NewMatch,
  recommendationKeysStatements,
  recordsByIds,
  searchIndexStatements,
  targetPartiesByOwners,
  unscreened,
  upsertMatchStatement,
} from "../db/screening.ts";
import { nameKeys } from "../domain/lists.ts";
import { searchableNames } from "../domain/names.ts";
import { compare, type Party, SHOW_FROM, targetParty } from "../domain/screening.ts";
import { readRecord } from "../domain/sensitive.ts";
import type { Actor } from "../domain/workflow.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import type { ActionOutcome } from "./review.ts";

/**
 * Screening against the sanctions lists loaded and every other
 * recommendation's targets: candidates found by shared name keys, then
 * scored (domain/screening.ts); what scores at least 0.5 is shown.
 */

/** Candidates scored per name: enough for the spellings of one name, few enough to stay fast. */
const CANDIDATES = 200;
const SHOWN = 20;

export interface ScreenMatch {
  source: "list" | "recommendation";
  /** The listed entity's id, or the other recommendation's id. */
  id: string;
  name: string;
  score: number;
  reasons: string[];
  datasets: string[];
  /** Programme ids of the listed entity's sanctions. */
  programs: string[];
  /** The other recommendation's reference (null for a listed entity). */
  reference: string | null;
  /** Which of the other recommendation's targets (null for a listed entity). */
  target: number | null;
}

/** Screens one party; `exclude` leaves out a recommendation's own targets. */
export async function screenParty(env: Env, party: Party, exclude?: string): Promise<ScreenMatch[]> {
  const candidates = (await candidatesByKeys(env.DB, nameKeys(party), CANDIDATES)).filter(
    (c) => !(exclude && c.owner.startsWith(`${exclude}:`)),
  );
  const listed = await listedByIds(
    env.DB,
    candidates.filter((c) => c.source === "list").map((c) => c.owner),
  );
  const targets = await targetPartiesByOwners(
    env.DB,
    candidates.filter((c) => c.source === "recommendation").map((c) => c.owner),
  );
  const found: ScreenMatch[] = [];
  for (const row of listed) {
    const { score, reasons } = compare(party, JSON.parse(row.party) as Party);
    if (score < SHOW_FROM) continue;
    found.push({
      source: "list",
      id: row.id,
      name: row.caption,
      score,
      reasons,
      datasets: JSON.parse(row.datasets) as string[],
      programs: JSON.parse(row.programs) as string[],
      reference: null,
      target: null,
    });
  }
  for (const row of targets) {
    const { score, reasons } = compare(party, JSON.parse(row.party) as Party);
    if (score < SHOW_FROM) continue;
    found.push({
      source: "recommendation",
      id: row.rec_id,
      name: row.name,
      score,
      reasons,
      datasets: [],
      programs: [],
      reference: row.reference,
      target: Number(row.owner.slice(row.owner.lastIndexOf(":") + 1)),
    });
  }
  return found.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, SHOWN);
}

/**
 * Screens every target of a recommendation and keeps what it finds; a
 * possible duplicate is recorded on both recommendations. Its targets' keys
 * are stored, so later recommendations find it.
 */
export async function screenRecommendation(env: Env, recId: string, now = new Date()): Promise<void> {
  const [row] = await recordsByIds(env.DB, [recId]);
  if (!row) return;
  const record = readRecord(row.record);
  const parties = record.targets.map(targetParty);
  const at = now.toISOString();
  const mine: NewMatch[] = [];
  const theirs: NewMatch[] = [];
  for (const [index, party] of parties.entries()) {
    for (const m of await screenParty(env, party, recId)) {
      const candidate = m.source === "list" ? `list:${m.id}` : `recommendation:${m.id}:${m.target}`;
      mine.push({
        rec_id: recId,
        target_index: index,
        candidate,
        source: m.source,
        candidate_id: m.id,
        candidate_target: m.target,
        name: m.name,
        score: m.score,
        reasons: JSON.stringify(m.reasons),
        datasets: JSON.stringify(m.datasets),
        programs: JSON.stringify(m.programs),
        reference: m.reference,
        screened_at: at,
      });
      if (m.source === "recommendation" && m.target !== null) {
        theirs.push({
          rec_id: m.id,
          target_index: m.target,
          candidate: `recommendation:${recId}:${index}`,
          source: "recommendation",
          candidate_id: recId,
          candidate_target: index,
          name: record.targets[index]?.name ?? "",
          score: m.score,
          reasons: JSON.stringify(m.reasons),
          datasets: "[]",
          programs: "[]",
          reference: row.reference,
          screened_at: at,
        });
      }
    }
  }
  const db = env.DB;
  await db.batch([
    ...recommendationKeysStatements(
      db,
      row,
      parties.map((party, i) => ({ name: record.targets[i]?.name ?? "", party, keys: nameKeys(party) })),
    ),
    ...searchIndexStatements(db, row, searchableNames(parties.flatMap((p) => p.names)), record.conduct.summary),
    clearMatchesStatement(db, recId),
    ...mine.map((m) => upsertMatchStatement(db, m)),
    // The other side learns of it too, keeping what it found itself.
    ...theirs.map((m) => upsertMatchStatement(db, m)),
    markScreenedStatement(db, recId, at),
  ]);
}

/** Catches up on recommendations not screened yet (the Cron Trigger; intake puts them on the screening queue). */
export async function screenUnscreened(env: Env, limit = 50): Promise<number> {
  const ids = await unscreened(env.DB, limit);
  for (const id of ids) await screenRecommendation(env, id);
  return ids.length;
}

/** What intake puts on the screening queue. */
export interface ScreeningJob {
  id: string;
}

/**
 * Puts a new recommendation on the screening queue after the answer has gone:
 * the submitter never waits for it, and a burst of submissions is screened a
 * batch at a time. Nothing is lost when the queue refuses: the Cron Trigger
 * screens every recommendation not screened yet.
 */
export function screenSoon(ctx: { waitUntil(promise: Promise<unknown>): void }, env: Env, recId: string): void {
  ctx.waitUntil(
    env.SCREENING.send({ id: recId } satisfies ScreeningJob).catch((error: unknown) => {
      console.error("screening not queued; the Cron Trigger screens it", recId, String(error));
    }),
  );
}

/** The screening queue's consumer: each recommendation once per batch, one after another; a failure is retried. */
export async function screenBatch(env: Env, batch: MessageBatch<ScreeningJob>): Promise<void> {
  const done = new Set<string>();
  for (const message of batch.messages) {
    const { id } = message.body;
    if (done.has(id)) {
      message.ack();
      continue;
    }
    try {
      await screenRecommendation(env, id);
      done.add(id);
      message.ack();
    } catch (error) {
      console.error("screening failed; retried", id, String(error));
      message.retry();
    }
  }
}

export type MatchDecision = { ok: true } | { ok: false; error: "not_found" } | ActionOutcome;

/**
 * A reviewer's word on a candidate. "Same": an event on the recommendation
 * (and on the other one, for a possible duplicate) linking the two, and the
 * match marked. "Different": the match is marked and stops being shown.
 */
export async function decideMatch(
  env: Env,
  recId: string,
  target: number,
  candidate: string,
  decision: "same" | "different",
  actor: Actor,
  by: string,
): Promise<MatchDecision> {
  const match = await findMatch(env.DB, recId, target, candidate);
  const found = await findById(env.DB, recId);
  if (!match || !found) return { ok: false, error: "not_found" };
  const mirror =
    match.source === "recommendation" && match.candidate_target !== null
      ? { recId: match.candidate_id, target: match.candidate_target, candidate: `recommendation:${recId}:${target}` }
      : null;
  if (decision === "same") {
    const other = match.candidate_target === null ? "" : ` (its target ${match.candidate_target + 1})`;
    const comment =
      match.source === "list"
        ? `Target ${target + 1} is ${match.name}, listed in ${JSON.parse(match.datasets).join(", ")}`
        : `Target ${target + 1} is the same as in ${match.reference}${other}`;
    const linked = {
      target,
      source: match.source,
      id: match.candidate_id,
      ...(match.candidate_target === null ? {} : { other_target: match.candidate_target }),
    };
    const object = recommendationObject(env, recId);
    await object.open(openingOf(found));
    const result = await object.act({ action: "link", comment, match: candidate }, actor, null, { linked });
    if (!result.ok) return result;
    const otherRow = mirror ? await findById(env.DB, mirror.recId) : undefined;
    if (mirror && otherRow) {
      const theirs = recommendationObject(env, mirror.recId);
      await theirs.open(openingOf(otherRow));
      await theirs.act(
        {
          action: "link",
          comment: `Target ${mirror.target + 1} is the same as in ${found.reference} (its target ${target + 1})`,
          match: mirror.candidate,
        },
        actor,
        null,
        { linked: { target: mirror.target, source: "recommendation", id: recId, other_target: target } },
      );
    }
  }
  const keys = [{ recId, target, candidate }, ...(mirror ? [mirror] : [])];
  await decideMatches(env.DB, keys, decision, by, new Date().toISOString());
  return { ok: true };
}
