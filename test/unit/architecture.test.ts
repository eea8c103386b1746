import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers of docs/layers.json, held: every import of every file under
 * worker/ and web/ is checked against the parts it may never use (type
 * imports included), bare packages against the few a part may use, and the
 * value imports between folders must form no cycle. domain/ also loads in
 * plain Node, outside the Workers runtime.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAP = JSON.parse(readFileSync(join(ROOT, "docs/layers.json"), "utf8")) as {
  parts: Record<string, string[]>;
  never: Record<string, string[]>;
  packages: Record<string, string[]>;
};

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "public" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const files = [...sources(join(ROOT, "worker")), ...sources(join(ROOT, "web"))].map((f) => relative(ROOT, f));

function partOf(file: string): string | undefined {
  return Object.entries(MAP.parts).find(([, paths]) => paths.some((p) => file === p || file.startsWith(p)))?.[0];
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/^(import|export)(\s+type)?\b[^;]*?\bfrom\s+["']([^"']+)["']/gms)].map((m) => {
    const spec = m[3] as string;
    const to = spec.startsWith(".") ? relative(ROOT, resolve(dirname(join(ROOT, file)), spec)) : spec;
    return { from: file, to, typeOnly: Boolean(m[2]) };
  });
}

const imports = files.flatMap(importsOf);

describe("the layers of docs/layers.json", () => {
  it("place every source file in a part", () => {
    expect(files.filter((f) => !partOf(f))).toEqual([]);
  });

  it("are kept: no part imports one it may never use", () => {
    const broken = imports
      .filter((i) => i.to.includes("/") && !i.to.startsWith("@") && files.includes(i.to))
      .filter((i) => {
        const [from, to] = [partOf(i.from), partOf(i.to)];
        return from && to && MAP.never[from]?.includes(to);
      })
      .map((i) => `${i.from} (${partOf(i.from)}) → ${i.to} (${partOf(i.to)})`);
    expect(broken).toEqual([]);
  });

  it("let a part use only the packages it may (domain: pure libraries for validation, transliteration and phonetics)", () => {
    const broken = imports
      .filter((i) => !files.includes(i.to))
      .filter((i) => {
        const allowed = MAP.packages[partOf(i.from) ?? ""];
        return allowed && !allowed.includes(i.to);
      })
      .map((i) => `${i.from} → ${i.to}`);
    expect(broken).toEqual([]);
  });

  it("have no cycle of value imports between folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports.filter((i) => !i.typeOnly && files.includes(i.to))) {
      const [a, b] = [dirname(i.from), dirname(i.to)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const walk = (start: string, at: string, path: string[]) => {
      for (const next of edges.get(at) ?? []) {
        if (next === start) cycles.push([...path, next].join(" → "));
        else if (!path.includes(next) && path.length < 12) walk(start, next, [...path, next]);
      }
    };
    for (const folder of edges.keys()) walk(folder, folder, [folder]);
    expect(cycles).toEqual([]);
  });

  it("keep domain/ loadable in plain Node, with no binding types", async () => {
    const bindings = /\b(Env|D1Database|R2Bucket|DurableObject\w*|KVNamespace|Fetcher|ExecutionContext)\b/;
    for (const file of files.filter((f) => partOf(f) === "domain")) {
      expect(readFileSync(join(ROOT, file), "utf8"), file).not.toMatch(bindings);
      await expect(import(join(ROOT, file)), file).resolves.toBeTypeOf("object");
    }
  });
});
