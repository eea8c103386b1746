import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root, whatever directory the command was started from. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const BIN = fileURLToPath(new URL("../../node_modules/.bin/wrangler", import.meta.url));

/** Wrangler must work offline: no metrics, no `request.cf` lookup: nothing may need the internet. */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** Runs wrangler to completion and returns its stdout; exits the process on failure. */
export function wrangler(args: string[]): string {
  const result = spawnSync(BIN, args, { cwd: ROOT, env: OFFLINE_ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(result.stderr || result.stdout || `wrangler ${args.join(" ")} failed\n`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

/** Starts a long-running wrangler (dev) with our stdio. */
export function spawnWrangler(args: string[], extraEnv: Record<string, string> = {}) {
  return spawn(BIN, args, { cwd: ROOT, env: { ...OFFLINE_ENV, ...extraEnv }, stdio: "inherit" });
}
