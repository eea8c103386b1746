import { readFileSync, writeFileSync } from "node:fs";
import { ROOT } from "../scripts/lib/wrangler.ts";
import { LOCALES } from "../worker/domain/locales.ts";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

// biome-ignore lint/suspicious/noExplicitAny: results.json is ours, read as written by run.ts
type Results = any;

const n = (value: number) => value.toLocaleString("en-GB");

/** The README's benchmark figures, written from bench/results.json so the two always agree. */
export function benchSection(r: Results): string {
  const g = r.groups;
  const lines = [
    `Figures from \`npm run bench\`${r.quick ? " -- --quick" : ""} on ${r.at.slice(0, 10)} (2 cores, loopback, \`npm start\`'s runtime).`,
    "",
  ];
  if (g.intake?.baseline) {
    lines.push("**1. Intake** (JSON submissions; baseline: a bare D1 insert of the same row in `bench/baseline/`)", "");
    lines.push(
      "| concurrency | app submissions/s | p50 | p95 | p99 | baseline inserts/s | ratio | target |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const row of g.intake.runs) {
      lines.push(
        `| ${row.concurrency} | ${row.app.per_s} | ${row.app.p50_ms} ms | ${row.app.p95_ms} ms | ${row.app.p99_ms} ms | ${row.baseline.per_s} | ${row.ratio} | ${row.concurrency === 16 ? "≥ 0.5" : ""} |`,
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
      `| \`/review\` | ${g.queue.review.p50_ms} ms | ${g.queue.review.p95_ms} ms${g.queue.review.ok ? "" : " (missed)"} | ≤ 50 ms |`,
      `| \`GET /api/v1/recommendations?limit=100\` | ${g.queue.list_api.p50_ms} ms | ${g.queue.list_api.p95_ms} ms${g.queue.list_api.ok ? "" : " (missed)"} | ≤ 50 ms |`,
      "",
    );
  }
  if (g.export?.exports) {
    lines.push(
      `**3. Exports** of ${n(g.export.recommendations)} recommendations, read to the end. Memory is the runtime's own (RssAnon of its workerd processes) at rest and at its peak:`,
      "",
      "| format | rows/s | idle | peak | growth | target growth |",
      "| --- | --- | --- | --- | --- | --- |",
      ...g.export.exports.map(
        (e: Results) =>
          `| ${e.format} | ${n(e.rows_per_s)} | ${e.idle_mb} MB | ${e.peak_mb} MB | ${e.growth_mb} MB${e.ok ? "" : " (missed)"} | ≤ ${e.target_growth_mb} MB |`,
      ),
      "",
    );
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
      `**5. Upload** over tus, ${u.size_mib} MiB in ${u.chunk_mib} MiB chunks (encryption, completion and SHA-256 included): ${u.mb_per_s} MB/s (${u.seconds} s). Resuming after the connection is cut at 50% (HEAD, then the next 1 MiB acknowledged): ${u.resume_ms} ms${u.resume_ok ? "" : " (missed)"} (target ≤ 2,000 ms).`,
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
        `**6. Screening**: \`POST /api/v1/screen\` with ${n(sc.entities)} listed entities and ${n(sc.recommendations)} recommendations (names in their own script, in another order, in capitals), ${sc.requests} requests one at a time: p50 ${sc.p50_ms} ms, p95 ${sc.p95_ms} ms${sc.ok ? "" : " (missed)"} (target ≤ ${sc.target_p95_ms} ms).`,
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
      `| \`GET /api/v1/stats\` | ${d.stats.p50_ms} ms | ${d.stats.p95_ms} ms${d.stats.ok ? "" : " (missed)"} | ≤ ${d.stats.target_p95_ms} ms |`,
      `| \`/dashboard\` | ${d.dashboard.p50_ms} ms | ${d.dashboard.p95_ms} ms${d.dashboard.ok ? "" : " (missed)"} | ≤ ${d.dashboard.target_p95_ms} ms |`,
      "",
    );
  }
  if (g.packet?.seconds) {
    const p = g.packet;
    lines.push(
      `**7. Packet**: \`packet.zip?variant=original\` of a recommendation with ${p.files} files, ${p.total_mib} MiB in all (a ${p.zip_mib} MiB ZIP), read to the end: ${p.seconds} s (${p.mb_per_s} MB/s). Runtime memory ${p.idle_mb} MB at rest, ${p.peak_mb} MB at its peak: growth ${p.growth_mb} MB${p.ok ? "" : " (missed)"} (target ≤ ${p.target_growth_mb} MB).`,
      "",
    );
  }
  return lines.join("\n");
}

export function updateReadme(results: Results): void {
  const file = `${ROOT}README.md`;
  const readme = readFileSync(file, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error("README.md has no benchmark markers");
  writeFileSync(file, `${readme.slice(0, start + START.length)}\n${benchSection(results)}\n${readme.slice(end)}`);
}
