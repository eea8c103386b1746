/**
 * `npx node bench/d1-calls.ts`: what one D1 call costs the local runtime's
 * memory, with no app and no data. The bare worker (`bench/baseline`) makes
 * N calls of `SELECT ?` one after another, in one request, each in a runtime
 * started for it; the growth of the runtime's own memory (RssAnon) over its
 * idle is printed per N. Not part of `npm run bench`: it is the evidence
 * for the exports' memory (see the README, "Benchmarks") and the repro in
 * `docs/d1-local-memory.md`.
 */
import { startBaseline } from "./intake.ts";
import { memoryOf } from "./memory.ts";
import { spread } from "./stats.ts";

const COUNTS = [0, 1_000, 2_500, 5_000];
const RUNS = 3;

for (const calls of COUNTS) {
  const growth: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const measured = await memoryOf(
      () => startBaseline(),
      async (server) => void (await (await fetch(`${server.baseUrl}/?calls=1`)).arrayBuffer()),
      async (server) => {
        const res = await fetch(`${server.baseUrl}/?calls=${calls}`);
        if (!res.ok) throw new Error(`calls=${calls}: ${res.status}`);
        return res.json();
      },
    );
    growth.push(measured.growth_mb);
  }
  const g = spread(growth);
  const perCall = calls ? ` (${Math.round((g.median * 1024) / calls)} KB a call)` : "";
  console.log(`${calls} calls: +${g.median} MB (${g.min}–${g.max})${perCall}`);
}
