import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OFFLINE_ENV, ROOT } from "../../scripts/lib/wrangler.ts";
import { npmOn, queryState } from "../helpers/local-state.ts";

/**
 * The local migrations `npm start` and the operator's commands apply in one
 * go, against wrangler's own `d1 migrations apply` on another empty state:
 * the same schema, recorded where wrangler looks.
 */
const ours = mkdtempSync(join(tmpdir(), "dossier-migrate-ours-"));
const wranglers = mkdtempSync(join(tmpdir(), "dossier-migrate-wrangler-"));
afterAll(() => {
  for (const dir of [ours, wranglers]) rmSync(dir, { recursive: true, force: true });
});

const MIGRATIONS = readdirSync(join(ROOT, "migrations"))
  .filter((name) => name.endsWith(".sql"))
  .sort();

function wrangler(args: string[]) {
  const result = spawnSync("npx", ["wrangler", ...args], { cwd: ROOT, env: OFFLINE_ENV, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Every table, index and trigger as SQLite keeps it, bar wrangler's and D1's own. */
const schema = (state: string) =>
  queryState<{ type: string; name: string; sql: string | null }>(
    state,
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );

let wranglersSchema: ReturnType<typeof schema> = [];

const recorded = (state: string) =>
  queryState<{ id: number; name: string; applied_at: string }>(
    state,
    "SELECT id, name, applied_at FROM d1_migrations ORDER BY id",
  );

describe("local migrations", () => {
  it("make the schema wrangler's apply makes and record every migration where wrangler looks", () => {
    // A command on a fresh clone migrates the state first.
    const first = npmOn(ours, "staff", ["list"]);
    expect(first.status, first.stderr).toBe(0);
    wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", wranglers]);

    const made = schema(ours);
    wranglersSchema = schema(wranglers);
    expect(made.some((row) => row.name === "inbox_unread_newest")).toBe(true);
    expect(made).toEqual(wranglersSchema);
    expect(recorded(ours).map((row) => row.name)).toEqual(MIGRATIONS);
    expect(wrangler(["d1", "migrations", "list", "DB", "--local", "--persist-to", ours])).toContain(
      "No migrations to apply",
    );
  });

  it("apply only what is new, and nothing when nothing is", () => {
    const before = recorded(ours);
    const again = npmOn(ours, "staff", ["list"]);
    expect(again.status, again.stderr).toBe(0);
    expect(recorded(ours)).toEqual(before);

    // As if one migration (a single index) had just been pulled: undone and unrecorded, then applied alone.
    const pulledName = "0028_inbox_unread_newest.sql";
    queryState(ours, `DROP INDEX inbox_unread_newest; DELETE FROM d1_migrations WHERE name = '${pulledName}'`);
    expect(schema(ours).some((row) => row.name === "inbox_unread_newest")).toBe(false);
    const pulled = npmOn(ours, "token", ["list"]);
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(schema(ours)).toEqual(wranglersSchema);
    const now = recorded(ours);
    expect(now.slice(0, -1)).toEqual(before.filter((row) => row.name !== pulledName));
    expect(now.at(-1)?.name).toBe(pulledName);
  });
});
