import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/d1";
import { ROOT, wrangler } from "./wrangler.ts";

/**
 * The scripts build their statements with drizzle from the same schema the
 * Worker uses and run them through `wrangler d1 execute`, against the local
 * state `npm start` uses (also while it runs) or, with --remote, Cloudflare's.
 */
// Only builds SQL (toSQL), so it needs no database behind it.
export const builder = drizzle({} as Parameters<typeof drizzle>[0]);

export interface Target {
  remote: boolean;
}

export function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** wrangler d1 execute takes SQL text without bound parameters, so values are inlined as SQL literals. */
export function inline(query: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = query.toSQL();
  let i = 0;
  return sql.replace(/\?/g, () => literal(params[i++]));
}

/** The local state `npm start` and the commands use. */
export function localState(): string {
  return process.env.DOSSIER_STATE ?? ".wrangler/state";
}

function where(target: Target): string[] {
  return target.remote ? ["--remote"] : ["--local", "--persist-to", localState()];
}

/** D1 takes statements of up to 100 KB; a margin is left for what the limit counts beyond the text. */
const STATEMENT_BYTES = 90_000;
const PACKABLE = /^(INSERT (?:OR \w+ )?INTO \w+ \([\w, ]+\)) VALUES (\(.*\));$/s;

/**
 * Joins consecutive `INSERT … VALUES (…), (…);` statements into the same
 * columns (nothing after their rows) into one of at most `bytes`, keeping
 * their order. wrangler runs a file's statements one by one: an import of
 * 10,000 listed entities is 4,000 small INSERTs (12 s locally) or about a
 * hundred large ones (3.5 s).
 */
export function packInserts(statements: readonly string[], bytes = STATEMENT_BYTES): string[] {
  const packed: string[] = [];
  let head: string | null = null;
  let rows: string[] = [];
  let size = 0;
  const flush = () => {
    if (head !== null) packed.push(`${head} VALUES ${rows.join(", ")};`);
    head = null;
  };
  for (const statement of statements) {
    const match = PACKABLE.exec(statement);
    if (!match) {
      flush();
      packed.push(statement);
      continue;
    }
    const [, into, values] = match as unknown as [string, string, string];
    const length = Buffer.byteLength(values);
    if (into === head && size + 2 + length <= bytes) {
      rows.push(values);
      size += 2 + length;
      continue;
    }
    flush();
    head = into;
    rows = [values];
    size = Buffer.byteLength(`${into} VALUES ;`) + length;
  }
  flush();
  return packed;
}

/** Runs a file of SQL statements (a large import) in one go. */
export function executeFile(path: string, target: Target): void {
  wrangler(["d1", "execute", "DB", ...where(target), "--yes", "--file", path], { retryBusy: !target.remote });
}

export function execute<Row = Record<string, unknown>>(
  query: { toSQL(): { sql: string; params: unknown[] } },
  target: Target,
): Row[] {
  return executeSql<Row>(inline(query), target);
}

/** One command of SQL text (one statement, or a few that are safe to run again together). */
function executeSql<Row>(sql: string, target: Target): Row[] {
  // When the database was busy, nothing of it happened, so it is safe to run again.
  const out = wrangler(["d1", "execute", "DB", ...where(target), "--json", "--command", sql], {
    retryBusy: !target.remote,
  });
  const parsed = JSON.parse(out) as { results: Row[] }[];
  return parsed.flatMap((r) => r.results);
}

const MIGRATIONS = join(ROOT, "migrations");
// Where wrangler records the migrations it applied (its default table, which wrangler.toml
// keeps), made with wrangler's own text, so `wrangler d1 migrations list` and `apply` agree.
const APPLIED_TABLE = `CREATE TABLE IF NOT EXISTS "d1_migrations"(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

/**
 * Brings the database up to the migrations in `migrations/`. Local state needs its tables
 * before the first command (a fresh clone may run `staff` before `start`).
 *
 * Remotely this is `wrangler d1 migrations apply`. Locally, wrangler's command starts a
 * runtime for every migration it applies (~16 s for an empty state, which every new clone,
 * browser test run and benchmark waits for); here the ones not yet recorded are applied in
 * one `d1 execute` of a single file, one transaction, each recorded as wrangler records it.
 * An empty state is known to need them all without asking. Returns how many it applied
 * locally.
 */
export function migrate(target: Target): number {
  if (target.remote) {
    wrangler(["d1", "migrations", "apply", "DB", "--remote"]);
    return 0;
  }
  const state = localState();
  const empty = !existsSync(state) || readdirSync(state).length === 0;
  const applied = new Set(
    empty
      ? []
      : executeSql<{ name: string }>(`${APPLIED_TABLE} SELECT name FROM d1_migrations`, target).map((r) => r.name),
  );
  const pending = readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith(".sql") && !applied.has(name))
    .sort();
  if (pending.length === 0) return 0;
  const dir = mkdtempSync(join(tmpdir(), "dossier-migrations-"));
  try {
    const file = join(dir, "pending.sql");
    const steps = pending.map(
      (name) =>
        `${readFileSync(join(MIGRATIONS, name), "utf8")}\nINSERT INTO d1_migrations (name) VALUES (${literal(name)});`,
    );
    writeFileSync(file, [APPLIED_TABLE, ...steps].join("\n"));
    executeFile(file, target);
    return pending.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
