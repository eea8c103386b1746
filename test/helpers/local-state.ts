import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { expect } from "vitest";
import { OFFLINE_ENV, ROOT } from "../../scripts/lib/wrangler.ts";

/** An operator's command (`npm run <script> -- …`) against the local state in `state`. */
export function npmOn(state: string, script: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync("npm", ["run", "-s", script, "--", ...args], {
    cwd: ROOT,
    env: { ...OFFLINE_ENV, DOSSIER_STATE: state },
    encoding: "utf8",
  });
}

/** Reads the local D1 in `state` with wrangler, as an operator could. */
export function queryState<Row>(state: string, sql: string): Row[] {
  const result = spawnSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
    { cwd: ROOT, env: OFFLINE_ENV, encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { results: Row[] }[]).flatMap((r) => r.results);
}
