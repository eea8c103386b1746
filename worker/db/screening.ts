/**
 * What screening reads and writes in D1: the name keys that find candidates,
 * the parties behind them, and the matches kept for each recommendation.
 */

export interface Candidate {
  owner: string;
  source: "list" | "recommendation";
  hits: number;
}

/**
 * Owners read per key at most. A key as common as a given name ("p:MHMT")
 * is held by thousands; reading them all made each screening slow as lists
 * grew. The owners worth scoring share the rarer keys too (family name,
 * the parts run together), which are read whole.
 */
export const OWNERS_PER_KEY = 200;

/**
 * The owners that share most keys with a name: the few worth scoring. With
 * several keys, one shared key alone (a common given name) is not enough.
 */
export async function candidatesByKeys(
  db: D1Database,
  keys: readonly string[],
  limit: number,
  source?: "list" | "recommendation",
): Promise<Candidate[]> {
  if (keys.length === 0) return [];
  return (await candidatesStatement(db, keys, limit, source).all<Candidate>()).results;
}

/** The candidates of several names, read in one round trip. */
export async function candidatesOfEach(
  db: D1Database,
  keysOfEach: readonly (readonly string[])[],
  limit: number,
): Promise<Candidate[][]> {
  const asked = keysOfEach.flatMap((keys, i) => (keys.length > 0 ? [i] : []));
  const found: Candidate[][] = keysOfEach.map(() => []);
  if (asked.length === 0) return found;
  const results = await db.batch<Candidate>(asked.map((i) => candidatesStatement(db, keysOfEach[i] ?? [], limit)));
  for (const [n, i] of asked.entries()) found[i] = results[n]?.results ?? [];
  return found;
}

function candidatesStatement(
  db: D1Database,
  keys: readonly string[],
  limit: number,
  source?: "list" | "recommendation",
): D1PreparedStatement {
  const least = keys.length >= 4 ? 2 : 1;
  // Each key read along the primary key up to its OWNERS_PER_KEY-th owner (found by an offset
  // on the same index), all of them counted together in one query.
  return db
    .prepare(
      `SELECT n.owner, n.source, COUNT(*) AS hits FROM json_each(?1) AS k
       JOIN name_keys AS n ON n.key = k.value AND n.owner <= coalesce(
         (SELECT owner FROM name_keys WHERE key = k.value ORDER BY owner LIMIT 1 OFFSET ?2), char(1114111))
       ${source ? "WHERE n.source = ?5" : ""}
       GROUP BY n.owner HAVING hits >= ?3 ORDER BY hits DESC, n.owner LIMIT ?4`,
    )
    .bind(JSON.stringify(keys), OWNERS_PER_KEY - 1, least, limit, ...(source ? [source] : []));
}

export interface ListedRow {
  id: string;
  caption: string;
  datasets: string;
  party: string;
  programs: string;
}

export async function listedByIds(db: D1Database, ids: readonly string[]): Promise<ListedRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .prepare(
      "SELECT id, caption, datasets, party, programs FROM list_entities WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(JSON.stringify(ids))
    .all<ListedRow>();
  return rows.results;
}

export interface TargetPartyRow {
  owner: string;
  rec_id: string;
  reference: string;
  name: string;
  party: string;
}

/** Recommendations' targets as screening compares them, by owner (`<id>:<index>`). */
export async function targetPartiesByOwners(db: D1Database, owners: readonly string[]): Promise<TargetPartyRow[]> {
  if (owners.length === 0) return [];
  const rows = await db
    .prepare("SELECT * FROM target_parties WHERE owner IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(owners))
    .all<TargetPartyRow>();
  return rows.results;
}

export interface RecordRow {
  seq: number;
  id: string;
  reference: string;
  record: string;
}

export async function recordsByIds(db: D1Database, ids: readonly string[]): Promise<RecordRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .prepare("SELECT seq, id, reference, record FROM recommendations WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<RecordRow>();
  return rows.results;
}

/** Replaces a recommendation's targets' keys and parties (owner `<id>:<index>`). */
export function recommendationKeysStatements(
  db: D1Database,
  rec: { id: string; reference: string },
  targets: readonly { name: string; party: unknown; keys: readonly string[] }[],
) {
  const recId = rec.id;
  const statements = [
    db.prepare("DELETE FROM name_keys WHERE owner >= ? AND owner < ?").bind(`${recId}:`, `${recId};`),
    db.prepare("DELETE FROM target_parties WHERE rec_id = ?").bind(recId),
    ...targets.map((t, index) =>
      db
        .prepare("INSERT INTO target_parties (owner, rec_id, reference, name, party) VALUES (?, ?, ?, ?, ?)")
        .bind(`${recId}:${index}`, recId, rec.reference, t.name, JSON.stringify(t.party)),
    ),
  ];
  for (const [index, { keys: list }] of targets.entries()) {
    for (let i = 0; i < list.length; i += 45) {
      const chunk = list.slice(i, i + 45);
      statements.push(
        db
          .prepare(
            `INSERT OR IGNORE INTO name_keys (key, owner, source) VALUES ${chunk.map(() => "(?, ?, 'recommendation')").join(", ")}`,
          )
          .bind(...chunk.flatMap((key) => [key, `${recId}:${index}`])),
      );
    }
  }
  return statements;
}

export interface MatchRow {
  rec_id: string;
  target_index: number;
  candidate: string;
  source: "list" | "recommendation";
  candidate_id: string;
  candidate_target: number | null;
  name: string;
  score: number;
  reasons: string;
  datasets: string;
  programs: string;
  reference: string | null;
  decision: "same" | "different" | null;
  decided_by: string | null;
  decided_at: string | null;
  screened_at: string;
}

export type NewMatch = Omit<MatchRow, "decision" | "decided_by" | "decided_at">;

/** A recommendation's matches not decided on go before a screening writes what it finds now. */
export function clearMatchesStatement(db: D1Database, recId: string) {
  return db.prepare("DELETE FROM matches WHERE rec_id = ? AND decision IS NULL").bind(recId);
}

const MATCH_COLUMNS = [
  "rec_id",
  "target_index",
  "candidate",
  "source",
  "candidate_id",
  "candidate_target",
  "name",
  "score",
  "reasons",
  "datasets",
  "programs",
  "reference",
  "screened_at",
] as const satisfies readonly (keyof NewMatch)[];
/** Rows per statement: D1 binds at most 100 values. */
const MATCHES_PER_STATEMENT = Math.floor(100 / MATCH_COLUMNS.length);

/** Matches written several to a statement; a match found again keeps the reviewer's decision. */
export function upsertMatchesStatements(db: D1Database, matches: readonly NewMatch[]) {
  const statements = [];
  for (let i = 0; i < matches.length; i += MATCHES_PER_STATEMENT) {
    const chunk = matches.slice(i, i + MATCHES_PER_STATEMENT);
    const row = `(${MATCH_COLUMNS.map(() => "?").join(", ")})`;
    statements.push(
      db
        .prepare(
          `INSERT INTO matches (${MATCH_COLUMNS.join(", ")}) VALUES ${chunk.map(() => row).join(", ")}
           ON CONFLICT (rec_id, target_index, candidate) DO UPDATE SET name = excluded.name, score = excluded.score,
             reasons = excluded.reasons, datasets = excluded.datasets, programs = excluded.programs, screened_at = excluded.screened_at`,
        )
        .bind(...chunk.flatMap((m) => MATCH_COLUMNS.map((column) => m[column]))),
    );
  }
  return statements;
}

export function markScreenedStatement(db: D1Database, recId: string, at: string) {
  return db.prepare("UPDATE recommendations SET screened_at = ? WHERE id = ?").bind(at, recId);
}

/**
 * After a screening has written its matches, a pair the other recommendation
 * already decided on keeps that decision (each pair is written by whichever
 * side was screened, and a decision is kept on every row of the pair).
 */
export function keepDecisionsStatement(db: D1Database, recIds: readonly string[]) {
  return db
    .prepare(
      `UPDATE matches AS m SET decision = o.decision, decided_by = o.decided_by, decided_at = o.decided_at
       FROM matches AS o
       WHERE m.rec_id IN (SELECT value FROM json_each(?1)) AND m.source = 'recommendation' AND m.decision IS NULL
         AND o.rec_id = m.candidate_id AND o.target_index = m.candidate_target
         AND o.candidate = 'recommendation:' || m.rec_id || ':' || m.target_index AND o.decision IS NOT NULL`,
    )
    .bind(JSON.stringify(recIds));
}

/**
 * A recommendation's matches: those its own screening wrote, and those
 * another recommendation's screening wrote about one of its targets, turned
 * round (that target's name and reference from its screening row). A pair
 * written from both sides is shown once, as most recently screened.
 */
export async function matchesOf(db: D1Database, recId: string): Promise<MatchRow[]> {
  const { results } = await db
    .prepare(
      `SELECT rec_id, target_index, candidate, source, candidate_id, candidate_target, name, score, reasons,
              datasets, programs, reference, decision, decided_by, decided_at, screened_at
       FROM matches WHERE rec_id = ?1
       UNION ALL
       SELECT m.candidate_id, m.candidate_target, 'recommendation:' || m.rec_id || ':' || m.target_index,
              'recommendation', m.rec_id, m.target_index, t.name, m.score, m.reasons, '[]', '[]', t.reference,
              m.decision, m.decided_by, m.decided_at, m.screened_at
       FROM matches AS m JOIN target_parties AS t ON t.owner = m.rec_id || ':' || m.target_index
       WHERE m.candidate_id = ?1 AND m.source = 'recommendation' AND m.candidate_target IS NOT NULL`,
    )
    .bind(recId)
    .all<MatchRow>();
  const pairs = new Map<string, MatchRow>();
  for (const row of results) {
    const key = `${row.target_index} ${row.candidate}`;
    const held = pairs.get(key);
    if (!held || row.screened_at > held.screened_at) pairs.set(key, row);
  }
  return [...pairs.values()].sort(
    (a, b) => a.target_index - b.target_index || b.score - a.score || (a.candidate < b.candidate ? -1 : 1),
  );
}

export async function unscreened(db: D1Database, limit: number): Promise<string[]> {
  const rows = await db
    .prepare("SELECT id FROM recommendations WHERE screened_at IS NULL ORDER BY seq LIMIT ?")
    .bind(limit)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

export async function findMatch(db: D1Database, recId: string, target: number, candidate: string) {
  return (await matchesOf(db, recId)).find((m) => m.target_index === target && m.candidate === candidate) ?? null;
}

/** A reviewer's decision on a match (on both sides of the pair, when the candidate is another recommendation). */
export async function decideMatches(
  db: D1Database,
  keys: readonly { recId: string; target: number; candidate: string }[],
  decision: "same" | "different",
  by: string,
  at: string,
): Promise<void> {
  await db.batch(
    keys.map((k) =>
      db
        .prepare(
          "UPDATE matches SET decision = ?, decided_by = ?, decided_at = ? WHERE rec_id = ? AND target_index = ? AND candidate = ?",
        )
        .bind(decision, by, at, k.recId, k.target, k.candidate),
    ),
  );
}

/** The recommendation's row of the full-text search (names as written and transliterated, reference, summary). */
export function searchIndexStatements(
  db: D1Database,
  rec: { seq: number; reference: string },
  names: string,
  summary: string,
) {
  return [
    db.prepare("DELETE FROM search_index WHERE rowid = ?").bind(rec.seq),
    db
      .prepare("INSERT INTO search_index (rowid, rec_seq, names, reference, summary) VALUES (?1, ?1, ?2, ?3, ?4)")
      .bind(rec.seq, names, rec.reference, summary),
  ];
}
