import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./wrangler.ts";

/**
 * Makes sure .dev.vars holds a DATA_KEY for local encryption at rest. The key
 * stays on this machine (.dev.vars is git-ignored); losing it makes the local
 * sensitive fields unreadable, which for local data is acceptable.
 */
/** The data key the scripts seal with: `DATA_KEY` from the environment, else the local .dev.vars. */
export function readDataKey(): string | undefined {
  if (process.env.DATA_KEY) return process.env.DATA_KEY;
  const file = join(ROOT, ".dev.vars");
  if (!existsSync(file)) return undefined;
  return /^DATA_KEY=(.+)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim();
}

export function ensureLocalDataKey(): void {
  const file = join(ROOT, ".dev.vars");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (/^DATA_KEY=/m.test(current)) return;
  const line = `DATA_KEY=${randomBytes(32).toString("base64")}\n`;
  writeFileSync(file, current && !current.endsWith("\n") ? `${current}\n${line}` : current + line, { mode: 0o600 });
  console.log("Created a local DATA_KEY in .dev.vars");
}
