import { and, asc, desc, eq, gt, gte, inArray, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { searchQuery } from "../domain/names.ts";
import type { QueueSort, SortDirection } from "../domain/queue.ts";
import { MARK_FROM } from "../domain/screening.ts";
import { STEPS } from "../domain/workflow.ts";
import { attachStatement } from "./attachments.ts";
import { filingOrder, filingsByRecommendation } from "./filings.ts";
import type { Gate } from "./gate.ts";
import { finishKeyStatement } from "./idempotency.ts";
import {
  attachments,
  filings,
  queue,
  recommendationCategories,
  recommendationJurisdictions,
  recommendations,
  staff,
} from "./schema.ts";

/** What intake stores for one submission (sensitive fields already sealed). */
export interface NewRecommendation {
  id: string;
  language: string;
  createdAt: string;
  receiptHash: string;
  targetKind: string;
  targetName: string;
  targetNameLatin: string | null;
  /** Every target's name and Latin spelling, a line each: what the queue's search reads before screening indexes it. */
  targetNames: string;
  submitterCountry: string;
  conductCountry: string;
  /** The risk level (absent in callers from before the queue showed it). */
  risk?: string;
  record: string;
  sealed: string;
  /** The first event's data, as JSON (domain/custody.ts). */
  genesis: string;
  categories: readonly string[];
  jurisdictions: readonly string[];
  step: string;
  dueAt: string | null;
  /** Finished uploads to tie to this recommendation (checked unclaimed beforehand). */
  attachments: readonly string[];
  /** The idempotency key this submission answers, recorded in the same batch. */
  keyHash?: string;
}

/**
 * Stores a submission, its filter tags, its first queue row and (when keyed)
 * its idempotency key's answer in one D1 batch (a transaction), numbering it
 * `REC-<year>-<n>` from a yearly counter in the same batch so two
 * submissions can never share a reference. The queue row says event 0: the
 * recommendation's object has not confirmed it yet (reconcile.ts).
 *
 * With a gate, its statements run first and the recommendation is stored
 * only if its condition holds; everything after it in the batch follows the
 * recommendation's row, so a refused submission stores nothing (its
 * `reference` is null) and the gate's own writes stand. `gated` holds what
 * the gate's statements answered.
 */
export async function insertRecommendation(
  db: D1Database,
  r: NewRecommendation,
  gate?: Gate,
): Promise<{ reference: string | null; gated: D1Result[] }> {
  const counter = `reference:${r.createdAt.slice(0, 4)}`;
  const stored = "(SELECT seq FROM recommendations WHERE id = ?1)";
  const values = [
    r.id,
    r.createdAt.slice(0, 4),
    counter,
    r.language,
    r.createdAt,
    r.receiptHash,
    r.targetKind,
    r.targetName,
    r.targetNameLatin,
    r.submitterCountry,
    r.conductCountry,
    r.record,
    r.sealed,
    r.genesis,
    r.targetNames,
    r.risk ?? null,
  ];
  const condition = gate?.condition(values.length + 1);
  const before = gate?.before ?? [];
  const results = await db.batch<{ reference: string }>([
    ...before,
    db
      .prepare(
        `INSERT INTO recommendations (id, reference, language, created_at, receipt_hash, target_kind, target_name,
           target_name_latin, submitter_country, conduct_country, record, sealed, genesis, target_names, risk)
         SELECT ?1, 'REC-' || ?2 || '-' || printf('%05d', coalesce((SELECT value FROM counters WHERE name = ?3), 0) + 1),
           ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16
         ${condition ? `WHERE ${condition.sql}` : ""}
         RETURNING reference`,
      )
      .bind(...values, ...(condition?.values ?? [])),
    db
      .prepare(
        `INSERT INTO counters (name, value) SELECT ?2, 1 WHERE ${stored} IS NOT NULL
         ON CONFLICT (name) DO UPDATE SET value = value + 1`,
      )
      .bind(r.id, counter),
    db
      .prepare(
        `INSERT INTO recommendation_categories (category, rec_seq) SELECT value, ${stored} FROM json_each(?2)
         WHERE ${stored} IS NOT NULL`,
      )
      .bind(r.id, JSON.stringify(r.categories)),
    db
      .prepare(
        `INSERT INTO recommendation_jurisdictions (jurisdiction, rec_seq) SELECT value, ${stored} FROM json_each(?2)
         WHERE ${stored} IS NOT NULL`,
      )
      .bind(r.id, JSON.stringify(r.jurisdictions)),
    db
      .prepare(
        `INSERT INTO queue (rec_seq, step, due_at, updated_at, event_seq) SELECT ${stored}, ?2, ?3, ?4, 0
         WHERE ${stored} IS NOT NULL`,
      )
      .bind(r.id, r.step, r.dueAt, r.createdAt),
    attachStatement(db, r.id, r.attachments),
    ...(r.keyHash ? [finishKeyStatement(db, r.keyHash, r.id)] : []),
  ]);
  return { reference: results[before.length]?.results[0]?.reference ?? null, gated: results.slice(0, before.length) };
}

/** The columns of a recommendation that follow from the part stored in clear. */
export interface StoredRecord {
  record: string;
  targetKind: string;
  targetName: string;
  targetNameLatin: string | null;
  targetNames: string;
  submitterCountry: string;
  conductCountry: string;
  risk: string;
  categories: readonly string[];
  jurisdictions: readonly string[];
}

/**
 * Replaces the part in clear (and the columns and tags that follow from it)
 * only if it is still `expected`: of two corrections made from the same
 * version, one lands. One batch, so the tags never disagree with the record.
 * It is screened and indexed for search again (its targets may have changed).
 */
export async function replaceRecord(
  db: D1Database,
  id: string,
  expected: string,
  next: StoredRecord,
): Promise<boolean> {
  const seqOf = "(SELECT seq FROM recommendations WHERE id = ?1 AND record = ?2)";
  const [updated] = await db.batch([
    db
      .prepare(
        `UPDATE recommendations SET record = ?2, target_kind = ?4, target_name = ?5, target_name_latin = ?6,
           submitter_country = ?7, conduct_country = ?8, target_names = ?9, risk = ?10,
           screened_at = NULL WHERE id = ?1 AND record = ?3`,
      )
      .bind(
        id,
        next.record,
        expected,
        next.targetKind,
        next.targetName,
        next.targetNameLatin,
        next.submitterCountry,
        next.conductCountry,
        next.targetNames,
        next.risk,
      ),
    // The tags follow only when the record above is now the new one.
    db.prepare(`DELETE FROM recommendation_categories WHERE rec_seq = ${seqOf}`).bind(id, next.record),
    db
      .prepare(
        `INSERT INTO recommendation_categories (category, rec_seq) SELECT value, ${seqOf} FROM json_each(?3) WHERE ${seqOf} IS NOT NULL`,
      )
      .bind(id, next.record, JSON.stringify(next.categories)),
    db.prepare(`DELETE FROM recommendation_jurisdictions WHERE rec_seq = ${seqOf}`).bind(id, next.record),
    db
      .prepare(
        `INSERT INTO recommendation_jurisdictions (jurisdiction, rec_seq) SELECT value, ${seqOf} FROM json_each(?3) WHERE ${seqOf} IS NOT NULL`,
      )
      .bind(id, next.record, JSON.stringify(next.jurisdictions)),
  ]);
  // Any change at all: the local runtime counts the names index's writes (a trigger's) with the row's.
  return (updated?.meta.changes ?? 0) > 0;
}

/** Filters shared by the review queue, the API list and the exports. */
export interface RecommendationFilter {
  step?: string;
  country?: string;
  category?: string;
  jurisdiction?: string;
  updatedSince?: string;
  assignee?: string;
  overdue?: boolean;
  /** Only those with a filing past its follow-up date without an answer. */
  followUp?: boolean;
  search?: string;
  /** Only those the designation watch suggests an outcome for. */
  suggested?: boolean;
  /** Only those screening marked: a possible duplicate, or a target already on a list. */
  screening?: "duplicate" | "listed";
}

/**
 * A recommendation screening marks for `source`: a strong candidate, or one a
 * reviewer said is the same. A possible duplicate is written once, by
 * whichever of the two was screened, so it marks both ends of the row.
 */
function marked(source: "list" | "recommendation"): SQL {
  // Each side read from its own partial index, named: with two of the same condition,
  // SQLite picked the other side's for both and read the table for every match.
  const found = sql`SELECT m.rec_id FROM matches m INDEXED BY matches_marked WHERE m.source = ${source} AND ${MARKS}`;
  return source === "list"
    ? found
    : sql`${found} UNION ALL SELECT m.candidate_id FROM matches m INDEXED BY matches_marked_candidate
        WHERE m.source = ${source} AND ${MARKS}`;
}

/**
 * A match that marks its recommendation, written as the partial index
 * `matches_marked` is (the score inline, not bound), so SQLite reads that
 * small index instead of every match.
 */
const MARKS = sql.raw(`(decision = 'same' OR (decision IS NULL AND score >= ${MARK_FROM}))`);

/**
 * The filters as conditions on the narrow `queue` table. Filters on the
 * recommendation itself are subqueries that SQLite answers from covering
 * indexes, so neither listing nor counting reads the wide submission rows
 * (their JSON) except for the page actually shown. `seq` names the queue
 * row in those subqueries (a page passes `+seq`, see listQueue).
 */
function conditions(f: RecommendationFilter, seq: SQL = sql`${queue.recSeq}`): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    f.step ? eq(queue.step, f.step) : undefined,
    f.updatedSince ? gte(queue.updatedAt, f.updatedSince) : undefined,
    f.assignee ? eq(queue.assignee, f.assignee) : undefined,
    f.overdue ? eq(queue.overdue, true) : undefined,
    f.followUp ? gt(queue.followUp, 0) : undefined,
    f.suggested
      ? sql`${seq} IN (SELECT ${recommendations.seq} FROM ${recommendations} WHERE ${recommendations.id} IN (SELECT rec_id FROM suggested_outcomes))`
      : undefined,
    describedAs(f, seq),
    f.screening
      ? sql`${seq} IN (SELECT ${recommendations.seq} FROM ${recommendations} WHERE ${recommendations.id} IN (${marked(
          f.screening === "duplicate" ? "recommendation" : "list",
        )}))`
      : undefined,
    f.search ? searchCondition(f.search, seq) : undefined,
  ];
  return and(...parts);
}

/**
 * The filters on what a recommendation says (country, category, programme)
 * as one list of seqs, the first filter's index walked and the others looked
 * up beside it: a list per filter, intersected, cost twice as much.
 */
function describedAs(f: RecommendationFilter, seq: SQL): SQL | undefined {
  const r = recommendations;
  const c = recommendationCategories;
  const j = recommendationJurisdictions;
  const sets = [
    f.country ? { table: r, seq: r.seq, is: eq(r.conductCountry, f.country) } : undefined,
    f.category ? { table: c, seq: c.recSeq, is: eq(c.category, f.category) } : undefined,
    f.jurisdiction ? { table: j, seq: j.recSeq, is: eq(j.jurisdiction, f.jurisdiction) } : undefined,
  ].filter((set) => set !== undefined);
  const [first, ...rest] = sets;
  if (!first) return undefined;
  const joins = rest.map((set) => sql` JOIN ${set.table} ON ${set.seq} = ${first.seq} AND ${set.is}`);
  return sql`${seq} IN (SELECT ${first.seq} FROM ${first.table}${sql.join(joins)} WHERE ${first.is})`;
}

/**
 * The queue's search: the full-text index (every name and alias in any
 * script and case, any part of the reference, words of the summary), and
 * any part of the targets' names as stored, for a recommendation screening
 * has not indexed yet and for the middle of a word. The names are looked up
 * in their trigram index (migration 0027); fewer than three characters (a
 * Chinese name of two) are too short for it, and the names are scanned.
 * The reference, typed whole, is looked up in its own index.
 */
function searchCondition(text: string, seq: SQL): SQL {
  const r = recommendations;
  const typed = text.trim();
  const names =
    [...typed].length >= 3
      ? sql`SELECT rowid FROM recommendation_names WHERE recommendation_names MATCH ${`"${typed.replace(/"/g, '""')}"`}`
      : sql`SELECT ${r.seq} FROM ${r} WHERE ${contains(r.targetNames, typed)}`;
  const stored = sql`${names} UNION ALL SELECT ${r.seq} FROM ${r} WHERE ${eq(r.reference, typed.toUpperCase())}`;
  const query = searchQuery(text);
  if (!query) return sql`${seq} IN (${stored})`;
  return sql`${seq} IN (${stored} UNION ALL SELECT rec_seq FROM search_index WHERE search_index MATCH ${query})`;
}

/** Case-insensitive substring match (ASCII case only: SQLite's LIKE) with `%` and `_` taken literally. */
function contains(column: SQLiteColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

const row = {
  seq: recommendations.seq,
  id: recommendations.id,
  reference: recommendations.reference,
  language: recommendations.language,
  createdAt: recommendations.createdAt,
  targetKind: recommendations.targetKind,
  targetName: recommendations.targetName,
  targetNameLatin: recommendations.targetNameLatin,
  submitterCountry: recommendations.submitterCountry,
  conductCountry: recommendations.conductCountry,
  record: recommendations.record,
  sealed: recommendations.sealed,
  purgedAt: recommendations.purgedAt,
  genesis: recommendations.genesis,
  screenedAt: recommendations.screenedAt,
  step: queue.step,
  assignee: queue.assignee,
  assigneeEmail: staff.email,
  overdue: queue.overdue,
  dueAt: queue.dueAt,
  updatedAt: queue.updatedAt,
  eventSeq: queue.eventSeq,
  headHash: queue.headHash,
};

function selectRows(db: D1Database) {
  return drizzle(db)
    .select(row)
    .from(recommendations)
    .innerJoin(queue, eq(queue.recSeq, recommendations.seq))
    .leftJoin(staff, eq(staff.id, queue.assignee));
}

export type RecommendationRow = Awaited<ReturnType<typeof selectRows>>[number];

/** One page in intake order after `afterSeq`: a keyset, so rows added while paging are never skipped or repeated. */
export async function listBySeq(
  db: D1Database,
  filter: RecommendationFilter,
  afterSeq: number,
  limit: number,
): Promise<RecommendationRow[]> {
  return selectRows(db)
    .where(and(conditions(filter), gt(queue.recSeq, afterSeq)))
    .orderBy(queue.recSeq)
    .limit(limit);
}

/**
 * One page of an export in one round trip: the rows after `afterSeq` in
 * intake order, their files and their filings (in the order filed). Read as
 * one batch, the three agree with one another.
 */
export async function exportPage(db: D1Database, filter: RecommendationFilter, afterSeq: number, limit: number) {
  const orm = drizzle(db);
  const seqs = orm
    .select({ seq: queue.recSeq })
    .from(queue)
    .where(and(conditions(filter), gt(queue.recSeq, afterSeq)))
    .orderBy(queue.recSeq)
    .limit(limit);
  const ids = orm.select({ id: recommendations.id }).from(recommendations).where(inArray(recommendations.seq, seqs));
  const [rows, files, filed] = await orm.batch([
    selectRows(db).where(inArray(queue.recSeq, seqs)).orderBy(queue.recSeq),
    orm.select().from(attachments).where(inArray(attachments.recSeq, seqs)).orderBy(attachments.createdAt),
    orm
      .select()
      .from(filings)
      .where(inArray(filings.recId, ids))
      .orderBy(...filingOrder),
  ]);
  return { rows, files, filings: filingsByRecommendation(filed) };
}

const queueRow = {
  seq: recommendations.seq,
  id: recommendations.id,
  reference: recommendations.reference,
  targetName: recommendations.targetName,
  targetNameLatin: recommendations.targetNameLatin,
  conductCountry: recommendations.conductCountry,
  step: queue.step,
  assignee: queue.assignee,
  assigneeEmail: staff.email,
  overdue: queue.overdue,
  followUp: queue.followUp,
  dueAt: queue.dueAt,
  updatedAt: queue.updatedAt,
  createdAt: recommendations.createdAt,
  repliedAt: queue.repliedAt,
  risk: recommendations.risk,
  duplicate: sql<number>`${recommendations.id} IN (${marked("recommendation")})`,
  /** The designation watch suggests an outcome: a filed target newly listed by the government asked. */
  suggested: sql<number>`EXISTS (SELECT 1 FROM suggested_outcomes s WHERE s.rec_id = ${recommendations.id})`,
  /** The datasets (lists) naming a target, as JSON, when screening marks it listed. */
  listedIn: sql<string | null>`(SELECT json_group_array(DISTINCT d.value) FROM matches m, json_each(m.datasets) d
    WHERE m.rec_id = ${recommendations.id} AND m.source = 'list' AND ${MARKS})`,
};

const STEP_ORDER = `,${STEPS.join(",")},`;

/** What each sortable column of the queue sorts on. */
const SORT_KEYS: Record<QueueSort, SQL> = {
  updated: sql`${queue.updatedAt}`,
  reference: sql`${queue.recSeq}`,
  target: sql`${recommendations.targetName}`,
  risk: sql`CASE ${recommendations.risk} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 END`,
  step: sql`instr(${STEP_ORDER}, ',' || ${queue.step} || ',')`,
  // The oldest first when sorting by age: the recommendation that has waited longest.
  age: sql`-${queue.recSeq}`,
  due: sql`${queue.dueAt}`,
  replied: sql`${queue.repliedAt}`,
  assignee: sql`${staff.email}`,
};
/** Columns that may be empty (no due date, no reply, nobody assigned, no risk stored): the empty ones go last. */
const NULLABLE: ReadonlySet<QueueSort> = new Set(["risk", "due", "replied", "assignee"]);

/** The sort keys that read a column of the recommendation or of its assignee, not of the queue row. */
const SORT_JOINS: Partial<Record<QueueSort, "recommendation" | "assignee">> = {
  target: "recommendation",
  risk: "recommendation",
  assignee: "assignee",
};

/**
 * The review queue, sorted by one column (then newest first), only the
 * columns the list shows, with whether `viewer` has anything unread about
 * each row (the "new" mark) in the same query.
 *
 * The page is chosen first from the queue rows alone (every filter is a
 * condition on the queue row's seq), and only its rows are joined to the
 * wide recommendation rows: joined first, a filter matching 4,500 of 50,000
 * read 4,500 recommendations to show 50.
 */
export function listQueue(
  db: D1Database,
  filter: RecommendationFilter,
  offset: number,
  limit: number,
  sort: { by: QueueSort; dir: SortDirection } = { by: "updated", dir: "desc" },
  viewer = "",
) {
  const key = SORT_KEYS[sort.by];
  const order = [
    ...(NULLABLE.has(sort.by) ? [sql`${key} IS NULL`] : []),
    sort.dir === "asc" ? asc(key) : desc(key),
    desc(queue.recSeq),
  ];
  const orm = drizzle(db);
  const seqs = orm.select({ seq: queue.recSeq }).from(queue);
  const joined =
    SORT_JOINS[sort.by] === "recommendation"
      ? seqs.innerJoin(recommendations, eq(recommendations.seq, queue.recSeq))
      : SORT_JOINS[sort.by] === "assignee"
        ? seqs.leftJoin(staff, eq(staff.id, queue.assignee))
        : seqs;
  // `+seq`: each filter's list is a test on the rows the sort's index gives, in order, until the page
  // is full; left to drive, SQLite looked up every listed row and sorted them all.
  const page = joined
    .where(conditions(filter, sql`+${queue.recSeq}`))
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  return orm
    .select({
      ...queueRow,
      unread: sql<number>`EXISTS (SELECT 1 FROM inbox i
        WHERE i.staff_id = ${viewer} AND i.rec_id = ${recommendations.id} AND i.read_at IS NULL)`,
    })
    .from(queue)
    .innerJoin(recommendations, eq(recommendations.seq, queue.recSeq))
    .leftJoin(staff, eq(staff.id, queue.assignee))
    .where(inArray(queue.recSeq, page))
    .orderBy(...order);
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>[number];

/** How many recommendations are in each step, under the same filters (the step filter aside). */
export async function countByStep(db: D1Database, filter: RecommendationFilter): Promise<Record<string, number>> {
  const rows = await drizzle(db)
    .select({ step: queue.step, n: sql<number>`count(*)` })
    .from(queue)
    .where(conditions({ ...filter, step: undefined }))
    .groupBy(queue.step);
  return Object.fromEntries(rows.map((r) => [r.step, r.n]));
}

export async function findById(db: D1Database, id: string): Promise<RecommendationRow | undefined> {
  const [found] = await selectRows(db).where(eq(recommendations.id, id));
  return found;
}

export async function findIdByReceiptHash(db: D1Database, receiptHash: string) {
  const [found] = await drizzle(db)
    .select({
      id: recommendations.id,
      reference: recommendations.reference,
      seq: recommendations.seq,
      createdAt: recommendations.createdAt,
      genesis: recommendations.genesis,
      record: recommendations.record,
    })
    .from(recommendations)
    .where(eq(recommendations.receiptHash, receiptHash));
  return found;
}

/** What opening a recommendation's object needs (durable/recommendation.ts). */
const opening = {
  seq: recommendations.seq,
  id: recommendations.id,
  createdAt: recommendations.createdAt,
  genesis: recommendations.genesis,
};

/** Ids in intake order after `afterSeq`, for reconciliation in batches. */
export async function listIds(db: D1Database, afterSeq: number, limit: number) {
  return drizzle(db)
    .select(opening)
    .from(recommendations)
    .where(gt(recommendations.seq, afterSeq))
    .orderBy(recommendations.seq)
    .limit(limit);
}

/** Ids of recommendations still stored in version 1 of the case file, oldest first (a partial index keeps them). */
export async function listVersion1(db: D1Database, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT id FROM recommendations WHERE json_extract(record, '$.schema_version') IS NULL ORDER BY seq LIMIT ?",
    )
    .bind(limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Recommendations whose queue row no object has confirmed yet, oldest first. */
export async function listUnconfirmed(db: D1Database, limit: number) {
  return (
    drizzle(db)
      .select(opening)
      .from(queue)
      .innerJoin(recommendations, eq(recommendations.seq, queue.recSeq))
      // A literal 0, not a parameter: only then can SQLite use the partial index.
      .where(sql`${queue.eventSeq} = 0`)
      .orderBy(queue.recSeq)
      .limit(limit)
  );
}
