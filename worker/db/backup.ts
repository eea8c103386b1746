/**
 * D1 as a backup reads and restores it: every table the migrations made,
 * row by row, whatever its columns, so a table added later is carried
 * without anyone remembering to add it here. The search index (FTS5) is read
 * as a table too, its row ids kept; its shadow tables are SQLite's own and
 * follow from it. An index over another table's rows (an FTS5 table with
 * `content =`, kept by triggers) is not read: restoring that table's rows
 * rebuilds it. D1's own tables and the migration list are not data.
 */

export interface TableInfo {
  name: string;
  columns: string[];
  /** A full-text index: its row ids are its keys (a recommendation's seq), so they are written as read. */
  virtual: boolean;
}

/** A page of rows: each the row id, then the columns' values in `TableInfo.columns` order. */
export type Row = (string | number | null)[];

export const ROWS_PAGE = 200;

const NOT_DATA = /^(sqlite_|_cf_|d1_migrations$)/;
const OVER_ANOTHER_TABLE = /\bcontent\s*=/i;

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Every table with data, parents before the tables that refer to them, so
 * rows restored in this order never wait for the row they point at.
 */
export async function dataTables(db: D1Database): Promise<TableInfo[]> {
  const [listed, virtuals] = await db.batch<{ schema: string; name: string; type: string; sql: string }>([
    db.prepare("PRAGMA table_list"),
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"),
  ]);
  const derived = new Set(virtuals?.results.filter((t) => OVER_ANOTHER_TABLE.test(t.sql)).map((t) => t.name));
  const names = (listed?.results ?? [])
    .filter((t) => t.schema === "main" && (t.type === "table" || t.type === "virtual") && !NOT_DATA.test(t.name))
    .filter((t) => !derived.has(t.name))
    .map((t) => ({ name: t.name, virtual: t.type === "virtual" }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const described = await db.batch(
    names.flatMap(({ name }) => [
      db.prepare(`PRAGMA table_info(${quoted(name)})`),
      db.prepare(`PRAGMA foreign_key_list(${quoted(name)})`),
    ]),
  );
  const tables = names.map(({ name, virtual }, i) => {
    const columns = (described[2 * i]?.results ?? []) as { name: string }[];
    const parents = ((described[2 * i + 1]?.results ?? []) as { table: string }[]).map((p) => p.table);
    return {
      info: { name, columns: columns.map((c) => c.name), virtual },
      parents: parents.filter((p) => p !== name),
    };
  });
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.info.name) && t.parents.every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error("the tables refer to each other in a circle: no order restores them");
    for (const t of ready) {
      ordered.push(t.info);
      placed.add(t.info.name);
    }
  }
  return ordered;
}

/** The migrations D1 has applied, by name, in order: a backup restores only into the same schema. */
export async function appliedMigrations(db: D1Database): Promise<string[]> {
  const rows = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

/** How many rows each table holds (a restore goes only into tables that hold none). */
export async function rowCounts(db: D1Database, tables: readonly TableInfo[]): Promise<Record<string, number>> {
  const counts = await db.batch(tables.map((t) => db.prepare(`SELECT count(*) AS n FROM ${quoted(t.name)}`)));
  return Object.fromEntries(
    tables.map((t, i) => [t.name, (counts[i]?.results[0] as { n: number } | undefined)?.n ?? 0]),
  );
}

/** The rows after `afterRowid`, in row id order; `skip` leaves out rows by id (the backup's own token). */
export async function readRows(
  db: D1Database,
  table: TableInfo,
  afterRowid: number,
  skip?: { column: string; value: string },
): Promise<Row[]> {
  const columns = table.columns.map(quoted).join(", ");
  const unless = skip ? ` AND ${quoted(skip.column)} IS NOT ?` : "";
  const statement = db
    .prepare(`SELECT rowid, ${columns} FROM ${quoted(table.name)} WHERE rowid > ?${unless} ORDER BY rowid LIMIT ?`)
    .bind(afterRowid, ...(skip ? [skip.value] : []), ROWS_PAGE);
  const rows = await statement.raw<Row>();
  for (const row of rows) {
    if (row.some((v) => v !== null && typeof v === "object")) {
      throw new Error(`${table.name} holds a binary value, which a backup does not carry`);
    }
  }
  return rows;
}

/**
 * Writes rows as read, in one batch (one transaction), in the order read.
 * An ordinary table's row ids follow from that order (an integer primary
 * key is a column and keeps its value); only a full-text index is given its
 * own. A row whose key is there already is left as it is (the Cron Trigger
 * may have written a queue row from a restored object meanwhile, from the
 * same object): how many were is returned, so the restore can say so.
 */
export async function insertRows(db: D1Database, table: TableInfo, rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const names = table.virtual ? ["rowid", ...table.columns.map(quoted)] : table.columns.map(quoted);
  const marks = names.map(() => "?").join(", ");
  const onConflict = table.virtual ? "" : " ON CONFLICT DO NOTHING";
  const sql = `INSERT INTO ${quoted(table.name)} (${names.join(", ")}) VALUES (${marks})${onConflict}`;
  const results = await db.batch(
    rows.map((row) => {
      if (row.length !== table.columns.length + 1) throw new Error(`a row of ${table.name} has the wrong columns`);
      return db.prepare(sql).bind(...(table.virtual ? row : row.slice(1)));
    }),
  );
  return results.filter((r) => r.meta.changes === 0).length;
}
