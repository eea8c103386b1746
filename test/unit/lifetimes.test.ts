import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LIFETIMES, LIFETIMES_END, LIFETIMES_START, lifetimesTable } from "../../worker/domain/lifetimes.ts";

describe("the data lifecycle table", () => {
  it("names each store and kind once, each with what it holds and how long it is kept", () => {
    const keys = LIFETIMES.map((l) => `${l.store}:${l.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const l of LIFETIMES) expect(l.holds && l.kept, l.name).toBeTruthy();
  });

  it("is the README's (npm run docs writes it again)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.slice(readme.indexOf(LIFETIMES_START) + LIFETIMES_START.length, readme.indexOf(LIFETIMES_END));
    expect(block.trim()).toBe(lifetimesTable());
  });
});
