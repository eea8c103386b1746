/**
 * `npm run bench [-- --quick]`: the benchmarks (see the README) against
 * `npm start`'s runtime on loopback. Writes bench/results.json and, from it,
 * the README's figures (a quick run writes bench/results.quick.json only).
 * `npm run bench -- --readme` writes the README again from results.json,
 * refusing when the code measured is not the code at HEAD.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, startDevServer } from "../scripts/lib/dev-server.ts";
import { ROOT } from "../scripts/lib/wrangler.ts";
import { addBenchStaff, benchToken, signedIn } from "./access.ts";
import { buildBundle, measureColdStart, moduleScope } from "./cold-start.ts";
import { measureDashboard } from "./dashboard.ts";
import { measureExports } from "./export.ts";
import { type Baseline, measureIntake, startBaseline } from "./intake.ts";
import { measurePacket } from "./packet.ts";
import { measurePageWeight, PAGE_WEIGHT_TARGET } from "./page-weight.ts";
import { measureQueue } from "./queue.ts";
import { benchSection, MEASURED, updateReadme } from "./readme.ts";
import { measureScreening } from "./screening/latency.ts";
import { measureMatchQuality } from "./screening/quality.ts";
import { copyOf } from "./state.ts";
import { RUNS } from "./stats.ts";
import { measureUpload } from "./upload.ts";

const RESULTS = new URL("./results.json", import.meta.url);

if (process.argv.includes("--readme")) {
  updateReadme(JSON.parse(readFileSync(RESULTS, "utf8")));
  console.log("Wrote the README's figures from bench/results.json");
  process.exit(0);
}

const quick = process.argv.includes("--quick");
// A quick run is a look: a tenth of the size, each figure once, without the memory controls.
const runs = quick ? 1 : RUNS;
const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
const commit = git("rev-parse", "HEAD");
const dirty = git("status", "--porcelain", "--", ...MEASURED) !== "";
if (dirty) console.warn("Uncommitted changes: the figures will not go into the README.");

// The intake benchmark sends more than the hourly cap on everyone allows: raised for the run.
// The Cron Trigger's background work (catching up on screening 50,000 seeded rows, following a
// 100,000-entity import up) is not what is measured: off.
const env = { GLOBAL_SUBMISSIONS_PER_HOUR: "1000000", GLOBAL_UPLOADS_PER_HOUR: "1000000", DOSSIER_LOCAL_CRON: "off" };
const began = performance.now();
const done = (what: string) => console.log(`${Math.round((performance.now() - began) / 1000)} s: ${what}`);
const template = mkdtempSync(join(tmpdir(), "dossier-bench-template-"));
const dirs = [template];
let server: DevServer | null = null;
let baseline: Baseline | null = null;

try {
  // First, on a machine with nothing else running. Its last `npm start` migrates `template`,
  // which every other group starts from, with the benchmarks' staff added.
  const freshStarts = await measureColdStart(env, runs, template);
  done("cold start measured");
  // The bundle is built while the staff are added and the runtimes start; its module scope is
  // timed at the end, with nothing else running.
  const bundling = buildBundle();
  bundling.catch(() => {}); // awaited (and its failure reported) at the end
  // The baseline worker (no staff) starts while the staff are added, then the app's runtime
  // while its token and the exports' are made (neither start is measured).
  const baselineState = copyOf(template, "baseline");
  dirs.push(baselineState);
  const baselineStarting = startBaseline(baselineState);
  const staff = await addBenchStaff(template);
  const stateDir = copyOf(template, "bench");
  const exportState = copyOf(template, "export");
  dirs.push(stateDir, exportState);
  const starting = startDevServer({ quiet: true, env, stateDir });
  const [token, exportToken] = await Promise.all([
    benchToken(stateDir, staff, ["export", "originals"]),
    benchToken(exportState, staff, ["export"]),
  ]);
  server = await starting;
  baseline = await baselineStarting;
  done("runtimes started");
  const intake = await measureIntake(server, baseline, quick, runs);
  done("intake measured");
  const access = await signedIn(server, staff, token);
  const weights = await measurePageWeight(server.baseUrl);
  done("page weight measured");
  const queue = await measureQueue(server, access, quick ? 5_000 : 50_000, quick ? 40 : 200, runs);
  done("queue measured");
  const dashboard = await measureDashboard(server, access, queue.recommendations, quick ? 40 : 200, runs);
  done("statistics measured");
  // Against the recommendations the queue group stored, each given its screening rows.
  const screening = await measureScreening(
    server,
    access,
    quick ? 10_000 : 100_000,
    queue.recommendations,
    quick ? 40 : 200,
    runs,
  );
  if (screening.failure) {
    // The runtime failed under screening: the other groups run on a new one, on the same state.
    server.crash();
    server = await startDevServer({ quiet: true, env, stateDir });
  }
  const quality = measureMatchQuality();
  done("screening measured");
  const upload = await measureUpload(server, (quick ? 20 : 200) * 1024 * 1024, runs);
  done("upload measured");
  // 20 files, 200 MiB in all (a quick run: 20 files of 1 MiB); the packets are read in runtimes of their own.
  const packet = await measurePacket(server, access, env, 20, (quick ? 1 : 10) * 1024 * 1024, runs, !quick);
  done("packet measured");
  const exports = await measureExports(
    env,
    exportState,
    exportToken,
    quick ? [10_000] : [10_000, 50_000, 100_000],
    runs,
    !quick,
  );
  done("exports measured");
  const coldStart = { ...(await moduleScope(await bundling, runs)), ...freshStarts };

  const results = {
    at: new Date().toISOString(),
    commit,
    dirty,
    quick,
    cpus: availableParallelism(),
    runs,
    groups: {
      intake,
      queue,
      dashboard,
      export: exports,
      page_weight: { target_bytes: PAGE_WEIGHT_TARGET, locales: weights },
      upload,
      screening: { ...screening, quality: { ...quality, misses: quality.misses.slice(0, 10) } },
      packet,
      cold_start: coldStart,
    },
  };
  // A quick run is a look, not a record: it never replaces the figures the README shows.
  const out = quick ? new URL("./results.quick.json", import.meta.url) : RESULTS;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${benchSection(results)}`);
  if (!quick && !dirty) updateReadme(results);
  console.log(quick || dirty ? `Wrote ${out.pathname}` : "Wrote bench/results.json and the README's figures from it");
} finally {
  baseline?.stop();
  server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
