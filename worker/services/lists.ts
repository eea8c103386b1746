import { beginImport, finishImport, rows, type Statement, stageEntities } from "../db/lists.ts";
import { candidatesByKeys, listedByIds, targetPartiesByOwners, upsertMatchStatement } from "../db/screening.ts";
import { entitiesOf, type FtmLine, nameKeys } from "../domain/lists.ts";
import { compare, type Party, SHOW_FROM } from "../domain/screening.ts";

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

/**
 * After an import, screens what it added or changed against every
 * recommendation's targets, and forgets matches to what it removed (unless
 * a reviewer decided on them). Imports not followed up yet are found by
 * their changes (`rescreened`).
 */
export async function rescreenAfterImport(env: Env, importId: string, now = new Date()): Promise<number> {
  const db = env.DB;
  const changes = await db
    .prepare("SELECT entity_id, change FROM list_changes WHERE import_id = ?")
    .bind(importId)
    .all<{ entity_id: string; change: string }>();
  const removed = changes.results.filter((c) => c.change === "removed").map((c) => c.entity_id);
  const statements = removed.map((candidate) =>
    db.prepare("DELETE FROM matches WHERE source = 'list' AND candidate_id = ? AND decision IS NULL").bind(candidate),
  );
  const changed = changes.results.filter((c) => c.change !== "removed").map((c) => c.entity_id);
  let found = 0;
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
        found++;
        statements.push(
          upsertMatchStatement(db, {
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
          }),
        );
      }
    }
  }
  for (const chunk of rows(statements, 50)) await db.batch(chunk);
  return found;
}

/**
 * The Cron Trigger's part: refresh from LISTS_URL when it is set, then
 * screen the recommendations again against every import not yet followed up
 * (the command line's too), oldest first.
 */
export async function listsScheduled(env: Env): Promise<{ imported: string | null; rescreened: number }> {
  const imported = await refreshLists(env);
  const pending = await env.DB.prepare(
    "SELECT id FROM list_imports WHERE finished_at IS NOT NULL AND rescreened_at IS NULL ORDER BY started_at LIMIT 3",
  ).all<{ id: string }>();
  let rescreened = 0;
  for (const { id } of pending.results) {
    rescreened += await rescreenAfterImport(env, id);
    await env.DB.prepare("UPDATE list_imports SET rescreened_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), id)
      .run();
  }
  return { imported, rescreened };
}
