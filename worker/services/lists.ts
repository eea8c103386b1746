import { forgetEntityStatement, pendingFilings, suggestStatement } from "../db/filings.ts";
import { beginImport, finishImport, rows, type Statement, stageEntities } from "../db/lists.ts";
import {
  candidatesByKeys,
  listedByIds,
  type NewMatch,
  targetPartiesByOwners,
  upsertMatchesStatements,
} from "../db/screening.ts";
import { PROGRAMME_COUNTRY } from "../domain/filings.ts";
import { entitiesOf, type FtmLine, listCountries, nameKeys } from "../domain/lists.ts";
import type { Notice } from "../domain/notifications.ts";
import { compare, MARK_FROM, type Party, SHOW_FROM } from "../domain/screening.ts";
import { announce } from "./notifications.ts";

/**
 * Sanctions lists inside the Worker: the Cron Trigger's refresh from
 * LISTS_URL, and what follows any import (`npm run lists` too): the
 * recommendations' targets screened again against what changed.
 */

async function run(db: D1Database, statements: readonly Statement[]): Promise<void> {
  for (const chunk of rows(statements, 50)) await db.batch(chunk.map((s) => db.prepare(s.sql).bind(...s.params)));
}

/** Loads a list (FtM lines) as `npm run lists -- import` does; answers the import's id. */
export async function importList(
  env: Env,
  lines: Iterable<FtmLine>,
  source: string,
  now = new Date(),
): Promise<string> {
  const id = `${now.toISOString()}-${crypto.randomUUID().slice(0, 6)}`;
  await run(env.DB, [
    ...beginImport(id, source, now.toISOString()),
    ...stageEntities(entitiesOf(lines)),
    ...finishImport(id, new Date().toISOString()),
  ]);
  return id;
}

/** How often the Cron Trigger loads LISTS_URL again (lists change by the day, not by the minute). */
export const REFRESH_HOURS = 24;

/** The Cron Trigger's refresh: LISTS_URL (FtM NDJSON) loaded once a day when set; nothing when not. */
export async function refreshLists(env: Env & { LISTS_URL?: string }, now = new Date()): Promise<string | null> {
  if (!env.LISTS_URL) return null;
  const since = new Date(now.getTime() - REFRESH_HOURS * 3_600_000).toISOString();
  const recent = await env.DB.prepare("SELECT 1 FROM list_imports WHERE source = ? AND started_at > ? LIMIT 1")
    .bind(env.LISTS_URL, since)
    .first();
  if (recent) return null;
  const response = await fetch(env.LISTS_URL);
  if (!response.ok) throw new Error(`LISTS_URL answered ${response.status}`);
  const lines = (await response.text())
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as FtmLine);
  return importList(env, lines, env.LISTS_URL);
}

/** Changed entities screened against the recommendations in one run of the Cron Trigger: a first import of a whole list takes many runs, each bounded. */
export const RESCREEN_BATCH = 100;

/**
 * After an import, screens what it added or changed against every
 * recommendation's targets, and forgets matches to what it removed (unless
 * a reviewer decided on them): `limit` changes after entity id `after`.
 * A strong match for a target filed with a government that has not answered
 * yet, listed by that government, becomes a suggested outcome.
 * Answers the matches found and the last entity id done (null: all done).
 */
export async function rescreenAfterImport(
  env: Env,
  importId: string,
  after = "",
  limit = RESCREEN_BATCH,
  now = new Date(),
): Promise<{ found: number; done: number; last: string | null }> {
  const db = env.DB;
  const changes = await db
    .prepare(
      "SELECT entity_id, change FROM list_changes WHERE import_id = ? AND entity_id > ? ORDER BY entity_id LIMIT ?",
    )
    .bind(importId, after, limit)
    .all<{ entity_id: string; change: string }>();
  const removed = changes.results.filter((c) => c.change === "removed").map((c) => c.entity_id);
  const statements = removed.flatMap((candidate) => [
    db.prepare("DELETE FROM matches WHERE source = 'list' AND candidate_id = ? AND decision IS NULL").bind(candidate),
    forgetEntityStatement(db, candidate),
  ]);
  const changed = changes.results.filter((c) => c.change !== "removed").map((c) => c.entity_id);
  const found: NewMatch[] = [];
  for (const chunk of rows(changed, 50)) {
    for (const entity of await listedByIds(db, chunk)) {
      const party = JSON.parse(entity.party) as Party;
      const owners = await candidatesByKeys(db, nameKeys(party), 200, "recommendation");
      for (const row of await targetPartiesByOwners(
        db,
        owners.map((o) => o.owner),
      )) {
        const { score, reasons } = compare(JSON.parse(row.party) as Party, party);
        if (score < SHOW_FROM) continue;
        found.push({
          rec_id: row.rec_id,
          target_index: Number(row.owner.slice(row.owner.lastIndexOf(":") + 1)),
          candidate: `list:${entity.id}`,
          source: "list",
          candidate_id: entity.id,
          candidate_target: null,
          name: entity.caption,
          score,
          reasons: JSON.stringify(reasons),
          datasets: entity.datasets,
          programs: entity.programs,
          reference: null,
          screened_at: now.toISOString(),
        });
      }
    }
  }
  const watch = await designationWatch(db, found, now);
  statements.push(...upsertMatchesStatements(db, found), ...watch.statements);
  for (const chunk of rows(statements, 50)) await db.batch(chunk);
  await announce(env, watch.notices);
  const last = changes.results.at(-1)?.entity_id ?? null;
  return { found: found.length, done: changes.results.length, last: changes.results.length < limit ? null : last };
}

/**
 * The Cron Trigger's part: refresh from LISTS_URL when it is set, then
 * screen the recommendations again against imports not yet followed up (the
 * command line's too), oldest first, a bounded batch a run.
 */
export async function listsScheduled(env: Env): Promise<{ imported: string | null; rescreened: number }> {
  const imported = await refreshLists(env);
  // Imports not followed up yet, oldest first, within one batch's worth of changes a run.
  let budget = RESCREEN_BATCH;
  let rescreened = 0;
  while (budget > 0) {
    const pending = await env.DB.prepare(
      "SELECT id, rescreen_cursor FROM list_imports WHERE finished_at IS NOT NULL AND rescreened_at IS NULL ORDER BY started_at LIMIT 1",
    ).first<{ id: string; rescreen_cursor: string | null }>();
    if (!pending) break;
    const { found, done, last } = await rescreenAfterImport(env, pending.id, pending.rescreen_cursor ?? "", budget);
    await env.DB.prepare("UPDATE list_imports SET rescreen_cursor = ?, rescreened_at = ? WHERE id = ?")
      .bind(last, last === null ? new Date().toISOString() : null, pending.id)
      .run();
    rescreened += found;
    budget -= Math.max(done, 1);
  }
  return { imported, rescreened };
}

/**
 * The designation watch: each strong new match of a filed target with an
 * entity the filing's government lists, while the filing awaits its answer,
 * is suggested as that filing's outcome for a coordinator to confirm.
 */
async function designationWatch(db: D1Database, found: readonly NewMatch[], now: Date) {
  const strong = found.filter((m) => m.score >= MARK_FROM);
  const filings = await pendingFilings(
    db,
    strong.map((m) => m.rec_id),
  );
  const pairs = strong.flatMap((m) => {
    const countries = listCountries(JSON.parse(m.datasets) as string[]);
    return filings
      .filter((f) => f.rec_id === m.rec_id && countries.includes(PROGRAMME_COUNTRY[f.programme]))
      .map((f) => ({ m, f }));
  });
  const statements = pairs.map(({ m, f }) =>
    suggestStatement(db, {
      filing_id: f.id,
      target_index: m.target_index,
      entity_id: m.candidate_id,
      rec_id: m.rec_id,
      programme: f.programme,
      name: m.name,
      score: m.score,
      reasons: m.reasons,
      datasets: m.datasets,
      programs: m.programs,
      suggested_at: now.toISOString(),
    }),
  );
  // Coordinators are told once per recommendation and import run (its time stands for the event seq).
  const told = new Set(pairs.map(({ m }) => m.rec_id));
  const notices: Notice[] = [...told].map((recId) => ({
    kind: "suggestion",
    recId,
    seq: Math.floor(now.getTime() / 1000),
    step: "filed",
    assignee: null,
    actor: null,
    at: now.toISOString(),
  }));
  return { statements, notices };
}
