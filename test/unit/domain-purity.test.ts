import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DOMAIN = fileURLToPath(new URL("../../worker/domain/", import.meta.url));
const BINDING_TYPES = /\b(Env|D1Database|R2Bucket|DurableObject\w*|KVNamespace|Fetcher|ExecutionContext)\b/;

/** Every file domain/ reaches through relative imports, and every bare package it imports. */
function reach(file: string, files = new Set<string>(), packages = new Set<string>()) {
  if (files.has(file)) return { files, packages };
  files.add(file);
  for (const [, spec] of readFileSync(file, "utf8").matchAll(/^import[^"']*["']([^"']+)["']/gm)) {
    if (spec?.startsWith(".")) reach(resolve(dirname(file), spec), files, packages);
    else if (spec) packages.add(spec);
  }
  return { files, packages };
}

describe("worker/domain", () => {
  const entries = readdirSync(DOMAIN)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(DOMAIN, f));

  it("imports no binding, no cloudflare:* module, and no package but zod, also indirectly", () => {
    const files = new Set<string>();
    const packages = new Set<string>();
    for (const entry of entries) reach(entry, files, packages);
    expect([...packages]).toEqual(["zod"]);
    for (const file of files) expect(readFileSync(file, "utf8"), file).not.toMatch(BINDING_TYPES);
  });

  it("loads in plain Node, outside workerd", async () => {
    for (const entry of entries) await expect(import(entry)).resolves.toBeTypeOf("object");
  });
});
