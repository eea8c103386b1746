/**
 * `npm run bench [-- --quick]`: the benchmarks of CONTRACT §8 against
 * `npm start`'s runtime on loopback. Prints a table, writes bench/results.json.
 * Groups not built yet are listed as such, never faked.
 */
import { writeFileSync } from "node:fs";
import { startDevServer } from "../scripts/lib/dev-server.ts";
import { measurePageWeight, PAGE_WEIGHT_TARGET } from "./page-weight.ts";

const quick = process.argv.includes("--quick");
const server = await startDevServer({ quiet: true });
try {
  const weights = await measurePageWeight(server.baseUrl);
  console.log("\n4. Page weight (gzip bytes: HTML + CSS + scripts before a file is chosen)");
  console.table(
    weights.map((w) => ({
      ...w,
      files: w.files.join(" "),
      target: PAGE_WEIGHT_TARGET,
      ok: w.total <= PAGE_WEIGHT_TARGET,
    })),
  );
  const results = {
    at: new Date().toISOString(),
    quick,
    groups: {
      intake: { status: "not built yet (issue 8)" },
      queue: { status: "not built yet (issue 4)" },
      export: { status: "not built yet (issue 6)" },
      page_weight: { target_bytes: PAGE_WEIGHT_TARGET, locales: weights },
      upload: { status: "not built yet (issue 5)" },
    },
  };
  writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log("Wrote bench/results.json");
} finally {
  server.stop();
}
