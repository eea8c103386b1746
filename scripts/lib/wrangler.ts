import { execFile, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root, whatever directory the command was started from. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const BIN = fileURLToPath(new URL("../../node_modules/.bin/wrangler", import.meta.url));

/** Wrangler must work offline: no metrics, no `request.cf` lookup: nothing may need the internet. */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false",
  X_LOCAL_EXPLORER: process.env.X_LOCAL_EXPLORER ?? "false",
};

/** Runs wrangler to completion and returns its stdout; exits the process on failure. */
export function wrangler(args: string[], options: { retryBusy?: boolean } = {}): string {
  let result = run(args);
  // A running `npm start` may hold the local database for a moment: a busy database is tried again.
  for (let attempt = 1; options.retryBusy && result.status !== 0 && attempt < 20; attempt++) {
    if (!/SQLITE_BUSY|database is locked/.test(`${result.stderr}${result.stdout}`)) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    result = run(args);
  }
  if (result.status !== 0) {
    process.stderr.write(result.stderr || result.stdout || `wrangler ${args.join(" ")} failed\n`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

function run(args: string[]) {
  return spawnSync(BIN, args, { cwd: ROOT, env: OFFLINE_ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Runs wrangler to completion without blocking; its output is dropped unless it fails. */
export function wranglerInBackground(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(BIN, args, { cwd: ROOT, env: OFFLINE_ENV, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`wrangler ${args.join(" ")} failed: ${stderr || stdout}`)) : resolve(),
    );
  });
}

/** Starts a long-running wrangler (dev) with our stdio. */
export function spawnWrangler(args: string[], extraEnv: Record<string, string> = {}) {
  return spawn(BIN, args, { cwd: ROOT, env: { ...OFFLINE_ENV, ...extraEnv }, stdio: "inherit" });
}
