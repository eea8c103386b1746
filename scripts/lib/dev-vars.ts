import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./wrangler.ts";

/** The data key the scripts seal with: `DATA_KEY` from the environment, else the local .dev.vars. */
export function readDataKey(): string | undefined {
  if (process.env.DATA_KEY) return process.env.DATA_KEY;
  const file = join(ROOT, ".dev.vars");
  if (!existsSync(file)) return undefined;
  return /^DATA_KEY=(.+)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim();
}

/** Adds `name=value` to .dev.vars unless it holds that name already. */
function ensureLocal(name: string, make: () => string): void {
  const file = join(ROOT, ".dev.vars");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (new RegExp(`^${name}=`, "m").test(current)) return;
  const line = `${name}=${make()}\n`;
  writeFileSync(file, current && !current.endsWith("\n") ? `${current}\n${line}` : current + line, { mode: 0o600 });
  console.log(`Created a local ${name} in .dev.vars`);
}

/**
 * Makes sure .dev.vars holds the Worker's two local secrets: a DATA_KEY for
 * encryption at rest and a SIGNING_KEY for packets. They stay on this machine
 * (.dev.vars is git-ignored); losing them makes local sealed data unreadable
 * and old local packets uncheckable, which for local data is acceptable.
 * Both at once: wrangler reads every secret from .dev.vars once it exists.
 */
export function ensureLocalKeys(): void {
  ensureLocal("DATA_KEY", () => randomBytes(32).toString("base64"));
  ensureLocal("SIGNING_KEY", newSigningKey);
}

/** A local Ed25519 signing key: base64 of its private JWK, as the SIGNING_KEY secret holds it. */
export function newSigningKey(): string {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  const kid = createHash("sha256").update(String(jwk.x)).digest("hex").slice(0, 8);
  return Buffer.from(JSON.stringify({ ...jwk, kid })).toString("base64");
}
