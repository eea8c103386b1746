import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { ROOT } from "../scripts/lib/wrangler.ts";
import { LOCALES } from "../worker/domain/locales.ts";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

// biome-ignore lint/suspicious/noExplicitAny: results.json is ours, read as written by run.ts
type Results = any;

const n = (value: number) => value.toLocaleString("en-GB");

/** A figure as its median, with the lowest and highest of the runs beside it. */
function f(s: Results, unit = ""): string {
  if (s === null || s === undefined) return "–";
  if (typeof s === "number") return `${n(s)}${unit}`;
  const median = `${n(s.median)}${unit}`;
  return s.min === s.max ? median : `${median} (${n(s.min)}–${n(s.max)})`;
}

/** What the figures are figures of: the code, the benchmarks and what they depend on. */
export const MEASURED = [
  "worker",
  "web",
  "migrations",
  "bench",
  ":(exclude)bench/results.json",
  ":(exclude)bench/results.quick.json",
  "scripts",
  "wrangler.toml",
  "package-lock.json",
];

/** The README's benchmark figures, written from bench/results.json so the two always agree. */
export function benchSection(r: Results): string {
  const g = r.groups;
  const lines = [
    `Figures from \`npm run bench\`${r.quick ? " -- --quick" : ""} on ${r.at.slice(0, 10)} at commit \`${String(r.commit).slice(0, 7)}\` (${r.cpus} CPUs, loopback, \`npm start\`'s runtime). Each figure is the median of ${r.runs} runs, the lowest and highest in brackets.`,
    "",
  ];
  lines.push(...targetsTable(g), "");
  if (g.intake?.baseline) {
    lines.push(
      "**1. Intake** (JSON submissions, each naming a different target (`bench/bodies.ts`); baseline: a bare D1 insert of the same body in `bench/baseline/`; CPU: the runtime's, per request, counted until it is idle again, so what the Cron Trigger's next run does for the new recommendations (fired once the load is over: opening their objects, and screening them from its queue) is in it)",
      "",
    );
    lines.push(
      "| concurrency | app submissions/s | p50 | p95 | p99 | app CPU | baseline inserts/s | baseline CPU | ratio | target |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const row of g.intake.runs) {
      lines.push(
        `| ${row.concurrency} | ${f(row.app.per_s)} | ${f(row.app.p50_ms, " ms")} | ${f(row.app.p95_ms, " ms")} | ${f(row.app.p99_ms, " ms")} | ${f(row.app.cpu_ms_per_request, " ms")} | ${f(row.baseline.per_s)} | ${f(row.baseline.cpu_ms_per_request, " ms")} | ${f(row.ratio)}${row.ok ? "" : " (missed)"} | ${row.target_ratio ? `≥ ${row.target_ratio}` : ""} |`,
      );
    }
    lines.push("");
  }
  if (g.queue?.review) {
    lines.push(
      `**2. Queue**, ${n(g.queue.recommendations)} recommendations stored, ${g.queue.review.requests} sequential requests each (\`/review\` cycles through no filter, a step, a country with a category, and a name search):`,
      "",
      "| route | p50 | p95 | target p95 |",
      "| --- | --- | --- | --- |",
      `| \`/review\` | ${f(g.queue.review.p50_ms, " ms")} | ${f(g.queue.review.p95_ms, " ms")}${g.queue.review.ok ? "" : " (missed)"} | ≤ 50 ms |`,
      `| \`GET /api/v1/recommendations?limit=100\` | ${f(g.queue.list_api.p50_ms, " ms")} | ${f(g.queue.list_api.p95_ms, " ms")}${g.queue.list_api.ok ? "" : " (missed)"} | ≤ 50 ms |`,
      "",
    );
  }
  if (g.export?.exports) {
    lines.push(
      `**3. Exports** of ${g.export.sizes.map(n).join(", ")} recommendations, read to the end, each run in a runtime started for it, at rest before the export and at its peak. Two memories: the Worker's own heap (its V8 heap's used size, read through its debugger, garbage not yet collected included: what a deployed Worker's memory limit counts), and the whole runtime's (RssAnon of its workerd processes, which locally hold the simulated D1 and R2 as well):`,
      "",
      "| format | rows | rows/s | Worker heap at rest | peak | growth | runtime at rest | peak | growth | target growth |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...g.export.exports.map((e: Results) => {
        const h = e.worker_heap;
        const heap = h
          ? `${f(h.idle_mb, " MB")} | ${f(h.peak_mb, " MB")} | ${f(h.growth_mb, " MB")}${h.ok ? "" : " (missed)"}`
          : "– | – | –";
        return `| ${e.format} | ${n(e.rows)} | ${f(e.rows_per_s)} | ${heap} | ${f(e.idle_mb, " MB")} | ${f(e.peak_mb, " MB")} | ${f(e.growth_mb, " MB")}${e.ok ? "" : " (missed)"} | ≤ ${e.target_growth_mb} MB |`;
      }),
      "",
    );
    const control = g.export.bare_read_control;
    if (control) {
      lines.push(
        `Control: the same ${n(control.rows)} rows read by a bare worker (\`bench/baseline\`), a page of a hundred a request, and dropped, with no app and no export: growth ${f(control.growth_mb, " MB")}.`,
        "",
      );
    }
  }
  if (g.page_weight?.locales) {
    const w = Object.fromEntries(g.page_weight.locales.map((l: Results) => [l.locale, l.total]));
    lines.push(
      `**4. Page weight**, gzip bytes of the heaviest of the ${g.page_weight.locales[0]?.pages ?? 1} form pages of each locale (the one-page form, the task list, every page of the case file and the check page; HTML + CSS + scripts loaded before a file is chosen; target ≤ 14,600):`,
      "",
    );
    // Eight locales a table, so the README stays readable.
    for (let i = 0; i < LOCALES.length; i += 8) {
      const order = LOCALES.slice(i, i + 8);
      lines.push(
        `| ${order.join(" | ")} |`,
        `| ${order.map(() => "---").join(" | ")} |`,
        `| ${order.map((l) => n(w[l])).join(" | ")} |`,
        `| ${order.map((l) => g.page_weight.locales.find((x: Results) => x.locale === l)?.page ?? "").join(" | ")} |`,
        "",
      );
    }
  }
  if (g.upload?.mb_per_s) {
    const u = g.upload;
    lines.push(
      `**5. Upload** over tus, ${u.size_mib} MiB in ${u.chunk_mib} MiB chunks (encryption, completion and SHA-256 included): ${f(u.mb_per_s, " MB/s")}, ${f(u.seconds, " s")}. Resuming after the connection is cut at 50% (HEAD, then the next 1 MiB acknowledged): ${f(u.resume_ms, " ms")}${u.resume_ok ? "" : " (missed)"} (target ≤ 2,000 ms).`,
      "",
    );
  }
  if (g.screening?.entities !== undefined) {
    const sc = g.screening;
    if (sc.failure) {
      lines.push(
        `**6. Screening**: \`POST /api/v1/screen\` with ${n(sc.entities)} listed entities and ${n(sc.recommendations)} recommendations: missed, ${sc.failure} (target p95 ≤ ${sc.target_p95_ms} ms).`,
        "",
      );
    } else
      lines.push(
        `**6. Screening**: \`POST /api/v1/screen\` with ${n(sc.entities)} listed entities and ${n(sc.recommendations)} recommendations (names in their own script, in another order, in capitals), ${sc.requests} requests one at a time: p50 ${f(sc.p50_ms, " ms")}, p95 ${f(sc.p95_ms, " ms")}${sc.ok ? "" : " (missed)"} (target ≤ ${sc.target_p95_ms} ms).`,
        "",
      );
    lines.push(
      ...(sc.quality
        ? [
            `Match quality on ${sc.quality.pairs} labelled pairs (\`bench/screening/pairs.json\`: ${sc.quality.same} same, ${sc.quality.different} different; ${Object.entries(
              sc.quality.scripts as Record<string, number>,
            )
              .map(([k, v]) => `${k} ${v}`)
              .join(
                ", ",
              )}), "same" at a score of ${sc.quality.threshold} or more (target: recall ≥ 0.95 at precision ≥ 0.90):`,
            "",
            "| | precision | recall |",
            "| --- | --- | --- |",
            `| matcher | ${sc.quality.matcher.precision} | ${sc.quality.matcher.recall}${sc.quality.matcher.recall >= 0.95 && sc.quality.matcher.precision >= 0.9 ? "" : " (missed)"} |`,
            `| exact lower-cased baseline | ${sc.quality.baseline.precision} | ${sc.quality.baseline.recall} |`,
            `| matcher at its best threshold (${sc.quality.best.threshold}) | ${sc.quality.best.precision} | ${sc.quality.best.recall} |`,
            "",
          ]
        : []),
    );
  }
  if (g.dashboard?.stats) {
    const d = g.dashboard;
    lines.push(
      `**8. Statistics**, ${n(d.recommendations)} recommendations and ${n(d.filings)} filings, ${d.stats.requests} sequential requests each:`,
      "",
      "| route | p50 | p95 | target p95 |",
      "| --- | --- | --- | --- |",
      `| \`GET /api/v1/stats\` | ${f(d.stats.p50_ms, " ms")} | ${f(d.stats.p95_ms, " ms")}${d.stats.ok ? "" : " (missed)"} | ≤ ${d.stats.target_p95_ms} ms |`,
      `| \`/dashboard\` | ${f(d.dashboard.p50_ms, " ms")} | ${f(d.dashboard.p95_ms, " ms")}${d.dashboard.ok ? "" : " (missed)"} | ≤ ${d.dashboard.target_p95_ms} ms |`,
      "",
    );
  }
  if (g.packet?.seconds) {
    const p = g.packet;
    lines.push(
      `**7. Packet**: \`packet.zip?variant=original\` of a recommendation with ${p.files} files, ${p.total_mib} MiB in all (a ${p.zip_mib} MiB ZIP), read to the end, each run in a runtime started for it: ${f(p.seconds, " s")} (${f(p.mb_per_s, " MB/s")}). ${p.worker_heap ? `The Worker's heap ${f(p.worker_heap.idle_mb, " MB")} at rest, ${f(p.worker_heap.peak_mb, " MB")} at its peak: growth ${f(p.worker_heap.growth_mb, " MB")}${p.worker_heap.ok ? "" : " (missed)"}. ` : ""}Runtime memory ${f(p.idle_mb, " MB")} at rest, ${f(p.peak_mb, " MB")} at its peak: growth ${f(p.growth_mb, " MB")}${p.ok ? "" : " (missed)"} (target ≤ ${p.target_growth_mb} MB).${p.files_one_by_one_growth_mb ? ` Control: the same files downloaded one after another (decrypted and checked as they stream, no ZIP), each run in a runtime of its own: growth ${f(p.files_one_by_one_growth_mb, " MB")}.` : ""}`,
      "",
    );
  }
  if (g.cold_start?.gzip_kib) {
    const c = g.cold_start;
    lines.push(
      `**9. Cold start**: the bundle \`wrangler deploy --dry-run\` makes is ${n(c.raw_kib)} KiB, ${n(c.gzip_kib)} KiB gzipped (source map left out). Its module scope (parse, compile and every top-level statement, run in V8 by Node with \`cloudflare:workers\` stubbed) takes ${f(c.module_evaluation_ms, " ms")}. \`npm start\` on an empty state answers its first request after ${f(c.npm_start_ready_ms, " ms")} (migrations and wrangler included); on that fresh runtime the intake form's first request takes ${f(c.first_request_ms, " ms")}, then ${f(c.warm_request_ms, " ms")} warm (median of 10).`,
      "",
    );
  }
  return lines.join("\n");
}

/**
 * Refuses figures that are not of the code at HEAD: measured with changes
 * not committed, or at a commit whose code has changed since.
 */
export function assertFromHead(results: Results): void {
  if (results.quick) throw new Error("A quick run's figures never go into the README.");
  if (results.dirty)
    throw new Error("These figures were measured with uncommitted changes: commit, then run the bench.");
  const changed = spawnSync("git", ["diff", "--quiet", results.commit, "HEAD", "--", ...MEASURED], { cwd: ROOT });
  if (changed.status !== 0) {
    throw new Error(
      `The code has changed since these figures were measured (at ${String(results.commit).slice(0, 7)}): run \`npm run bench\` again.`,
    );
  }
}

/** Every target, met or missed, at a glance (the reasons for a miss follow the figures). */
function targetsTable(g: Results): string[] {
  const row = (what: string, target: string, result: string, ok: boolean | undefined) =>
    `| ${what} | ${target} | ${result} | ${ok === undefined ? "–" : ok ? "met" : "**missed**"} |`;
  const rows: string[] = [];
  const intake = g.intake?.runs?.find((r: Results) => r.concurrency === 16);
  if (intake)
    rows.push(row("Intake at concurrency 16, beside the bare insert", "≥ 0.5×", f(intake.ratio, "×"), intake.ok));
  if (g.queue?.review) {
    rows.push(
      row("`/review` p95, 50,000 recommendations", "≤ 50 ms", f(g.queue.review.p95_ms, " ms"), g.queue.review.ok),
    );
    rows.push(row("List API p95", "≤ 50 ms", f(g.queue.list_api.p95_ms, " ms"), g.queue.list_api.ok));
  }
  const largest = g.export?.exports?.filter((e: Results) => e.rows === Math.max(...g.export.sizes)) ?? [];
  for (const e of largest) {
    if (e.worker_heap)
      rows.push(
        row(
          `${e.format.toUpperCase()} export of ${n(e.rows)} rows, the Worker's heap over idle`,
          "≤ 64 MB",
          f(e.worker_heap.growth_mb, " MB"),
          e.worker_heap.ok,
        ),
      );
    rows.push(
      row(
        `${e.format.toUpperCase()} export of ${n(e.rows)} rows, the local runtime over idle`,
        "≤ 64 MB",
        f(e.growth_mb, " MB"),
        e.ok,
      ),
    );
  }
  if (g.page_weight?.locales) {
    const heaviest = Math.max(...g.page_weight.locales.map((l: Results) => l.total));
    rows.push(
      row(
        "Page weight, heaviest form page of any locale",
        "≤ 14,600 B",
        `${n(heaviest)} B`,
        heaviest <= g.page_weight.target_bytes,
      ),
    );
  }
  if (g.upload?.resume_ms)
    rows.push(row("Upload resumes", "≤ 2,000 ms", f(g.upload.resume_ms, " ms"), g.upload.resume_ok));
  if (g.screening?.entities !== undefined) {
    rows.push(
      row("Screening p95", "≤ 50 ms", g.screening.failure ? "failed" : f(g.screening.p95_ms, " ms"), g.screening.ok),
    );
    const q = g.screening.quality;
    if (q)
      rows.push(
        row(
          "Screening quality",
          "recall ≥ 0.95 at precision ≥ 0.90",
          `recall ${q.matcher.recall} at precision ${q.matcher.precision}`,
          q.matcher.recall >= 0.95 && q.matcher.precision >= 0.9,
        ),
      );
  }
  if (g.packet?.worker_heap)
    rows.push(
      row(
        `Packet of ${g.packet.total_mib} MiB, the Worker's heap over idle`,
        "≤ 64 MB",
        f(g.packet.worker_heap.growth_mb, " MB"),
        g.packet.worker_heap.ok,
      ),
    );
  if (g.packet?.growth_mb)
    rows.push(
      row(
        `Packet of ${g.packet.total_mib} MiB, the local runtime over idle`,
        "≤ 64 MB",
        f(g.packet.growth_mb, " MB"),
        g.packet.ok,
      ),
    );
  if (g.dashboard?.stats) {
    rows.push(row("`GET /api/v1/stats` p95", "≤ 100 ms", f(g.dashboard.stats.p95_ms, " ms"), g.dashboard.stats.ok));
    rows.push(row("`/dashboard` p95", "≤ 100 ms", f(g.dashboard.dashboard.p95_ms, " ms"), g.dashboard.dashboard.ok));
  }
  if (g.cold_start?.gzip_kib) {
    rows.push(
      row(
        "Cold start: bundle gzip, module scope",
        "reported",
        `${n(g.cold_start.gzip_kib)} KiB, ${f(g.cold_start.module_evaluation_ms, " ms")}`,
        undefined,
      ),
    );
  }
  return ["| figure | target | result | |", "| --- | --- | --- | --- |", ...rows];
}

export function updateReadme(results: Results): void {
  assertFromHead(results);
  const file = `${ROOT}README.md`;
  const readme = readFileSync(file, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error("README.md has no benchmark markers");
  writeFileSync(file, `${readme.slice(0, start + START.length)}\n${benchSection(results)}\n${readme.slice(end)}`);
}
