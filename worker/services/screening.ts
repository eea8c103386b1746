import { findById } from "../db/recommendations.ts";
import {
  type Candidate,
  candidatesOfEach,
  clearMatchesStatement,
  decideMatches,
  findMatch,
  keepDecisionsStatement,
  type ListedRow,
  listedByIds,
  markScreenedStatement,
  type NewMatch,
  recommendationKeysStatements,
  recordsByIds,
  searchIndexStatements,
  type TargetPartyRow,
  targetPartiesByOwners,
  unscreened,
  upsertMatchesStatements,
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
const CANDIDATES = 100;
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
  return (await screenParties(env, [{ party, exclude }]))[0] ?? [];
}

/**
 * Screens several parties in three round trips to D1, whatever their number
 * (their candidates, then the listed entities and the targets among them),
 * which is what lets a queue batch of recommendations be screened cheaply.
 */
async function screenParties(
  env: Env,
  asked: readonly { party: Party; exclude?: string | undefined }[],
): Promise<ScreenMatch[][]> {
  const candidatesOf = (
    await candidatesOfEach(
      env.DB,
      asked.map(({ party }) => nameKeys(party)),
      CANDIDATES,
    )
  ).map((candidates, i) => {
    const exclude = asked[i]?.exclude;
    return candidates.filter((c) => !(exclude && c.owner.startsWith(`${exclude}:`)));
  });
  const all = candidatesOf.flat();
  const owners = (source: Candidate["source"]) => [
    ...new Set(all.filter((c) => c.source === source).map((c) => c.owner)),
  ];
  const listed = new Map(
    (await listedByIds(env.DB, owners("list"))).map((row) => [row.id, scorable(row.party, () => listedMatch(row))]),
  );
  const targets = new Map(
    (await targetPartiesByOwners(env.DB, owners("recommendation"))).map((row) => [
      row.owner,
      scorable(row.party, () => targetMatch(row)),
    ]),
  );
  return asked.map(({ party }, i) => {
    const found: ScreenMatch[] = [];
    for (const { owner, source } of candidatesOf[i] ?? []) {
      const other = (source === "list" ? listed : targets).get(owner);
      if (!other) continue;
      const { score, reasons } = compare(party, other.party);
      if (score >= SHOW_FROM) found.push({ ...other.match(), score, reasons });
    }
    return found.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, SHOWN);
  });
}

/**
 * A candidate as scored: its party read once, however many of a batch's
 * names it is scored against; the rest of the match only for those shown.
 */
function scorable(party: string, match: () => Omit<ScreenMatch, "score" | "reasons">) {
  return { party: JSON.parse(party) as Party, match };
}

function listedMatch(row: ListedRow): Omit<ScreenMatch, "score" | "reasons"> {
  return {
    source: "list",
    id: row.id,
    name: row.caption,
    datasets: JSON.parse(row.datasets) as string[],
    programs: JSON.parse(row.programs) as string[],
    reference: null,
    target: null,
  };
}

function targetMatch(row: TargetPartyRow): Omit<ScreenMatch, "score" | "reasons"> {
  return {
    source: "recommendation",
    id: row.rec_id,
    name: row.name,
    datasets: [],
    programs: [],
    reference: row.reference,
    target: Number(row.owner.slice(row.owner.lastIndexOf(":") + 1)),
  };
}

/**
 * Screens every target of some recommendations and keeps what they find. A
 * possible duplicate is written once, by the recommendation screened; the
 * other one reads it from the other side (db/screening.ts). The targets'
 * keys are stored first (so recommendations screened together find each
 * other, and later ones find them), then every match is written in one batch.
 */
export async function screenRecommendations(env: Env, ids: readonly string[], now = new Date()): Promise<void> {
  const db = env.DB;
  const rows = await recordsByIds(db, ids);
  if (rows.length === 0) return;
  const at = now.toISOString();
  const screened = rows.map((row) => {
    const record = readRecord(row.record);
    return { row, record, parties: record.targets.map(targetParty) };
  });
  await db.batch(
    screened.flatMap(({ row, record, parties }) => [
      ...recommendationKeysStatements(
        db,
        row,
        parties.map((party, i) => ({ name: record.targets[i]?.name ?? "", party, keys: nameKeys(party) })),
      ),
      ...searchIndexStatements(db, row, searchableNames(parties.flatMap((p) => p.names)), record.conduct.summary),
    ]),
  );
  const asked = screened.flatMap(({ row, record, parties }) =>
    parties.map((party, index) => ({ party, exclude: row.id, row, record, index })),
  );
  const found: NewMatch[] = (await screenParties(env, asked)).flatMap((matches, i) => {
    const { row, index } = asked[i] as (typeof asked)[number];
    return matches.map((m) => matchRow(row.id, index, m, at));
  });
  const done = screened.map(({ row }) => row.id);
  await db.batch([
    ...done.map((id) => clearMatchesStatement(db, id)),
    ...upsertMatchesStatements(db, found),
    keepDecisionsStatement(db, done),
    ...done.map((id) => markScreenedStatement(db, id, at)),
  ]);
}

/** A match as kept for the recommendation screened. */
function matchRow(recId: string, index: number, m: ScreenMatch, at: string): NewMatch {
  return {
    rec_id: recId,
    target_index: index,
    candidate: m.source === "list" ? `list:${m.id}` : `recommendation:${m.id}:${m.target}`,
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
  };
}

/** What the screening queue carries: a recommendation to screen. */
export interface ScreeningJob {
  id: string;
}

/** Recommendations screened together: as many as the screening queue hands over in a batch. */
const SCREENED_TOGETHER = 100;
/** Recommendations one run of the Cron Trigger puts on the screening queue at most. */
const QUEUED_PER_RUN = 1_000;

/**
 * Intake leaves screening for later (the review page says it happens within
 * minutes): each run of the Cron Trigger puts what is not screened yet on the
 * screening queue, a hundred to a message batch, and its consumer screens
 * each batch together. A burst of submissions is screened after it, in a few
 * large batches, instead of one queue message per submission during it. When
 * the queue refuses, a batch is screened here, so nothing waits for the
 * queue to come back; the next run puts the rest on it again.
 */
export async function screenLater(env: Env): Promise<number> {
  const ids = await unscreened(env.DB, QUEUED_PER_RUN);
  for (let i = 0; i < ids.length; i += SCREENED_TOGETHER) {
    const batch = ids.slice(i, i + SCREENED_TOGETHER);
    try {
      await env.SCREENING.sendBatch(batch.map((id) => ({ body: { id } satisfies ScreeningJob })));
    } catch (error) {
      console.error("screening not queued; a batch is screened now", batch.length, String(error));
      await screenRecommendations(env, batch);
      break;
    }
  }
  return ids.length;
}

/** The screening queue's consumer: the batch's recommendations screened together, each once; a failure is retried. */
export async function screenBatch(env: Env, batch: MessageBatch<ScreeningJob>): Promise<void> {
  const ids = [...new Set(batch.messages.map((m) => m.body.id))];
  try {
    await screenRecommendations(env, ids);
    batch.ackAll();
  } catch (error) {
    console.error("screening failed; retried", ids.length, String(error));
    batch.retryAll();
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
