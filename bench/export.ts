import { startBaseline } from "./intake.ts";
import { appOn, memoryOf, workerHeap } from "./memory.ts";
import { seedRecommendations } from "./seed.ts";
import { repeat, spread } from "./stats.ts";

export const EXPORT_MEMORY_TARGET_MB = 64;

/**
 * Exports: CSV and NDJSON of `sizes` recommendations (on `stateDir`, a state
 * of their own, grown from one size to the next), read to the end: rows/s,
 * and the runtime's peak memory beside its memory at rest, each run in a
 * runtime started for it. That the growth stays the same from the smallest size to
 * the largest is what shows an export's memory does not grow with its rows.
 */
export async function measureExports(
  env: Record<string, string>,
  stateDir: string,
  token: string,
  sizes: readonly number[],
  runs: number,
  withControl: boolean,
) {
  const headers = { Authorization: `Bearer ${token}` };
  // One export read to the end, in a runtime started for it: rows/s and memory.
  const exportedOnce = (format: "csv" | "ndjson", size: number) =>
    memoryOf(
      appOn(stateDir, env),
      // The same export of a few rows (one in a thousand): the Worker and the route loaded.
      async (server) => {
        const res = await fetch(`${server.baseUrl}/api/v1/exports/recommendations.${format}?country=KP`, {
          headers,
        });
        await res.arrayBuffer();
      },
      async (server) => {
        const started = performance.now();
        const res = await fetch(`${server.baseUrl}/api/v1/exports/recommendations.${format}`, { headers });
        let lines = 0;
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const byte of value) if (byte === 10) lines++;
        }
        const rows = format === "csv" ? lines - 1 : lines;
        if (rows < size) throw new Error(`${format} export gave ${rows} of ${size} rows`);
        return rows / ((performance.now() - started) / 1000);
      },
    );
  const results: Record<string, unknown>[] = [];
  let seeded = 0;
  for (const size of sizes) {
    seedRecommendations(stateDir, size - seeded, seeded + 1);
    seeded = size;
    for (const format of ["csv", "ndjson"] as const) {
      const measured = await repeat(runs, () => exportedOnce(format, size));
      const growth = spread(measured.map((m) => m.growth_mb));
      results.push({
        format,
        rows: size,
        rows_per_s: spread(
          measured.map((m) => m.result),
          0,
        ),
        idle_mb: spread(measured.map((m) => m.idle_mb)),
        peak_mb: spread(measured.map((m) => m.peak_mb)),
        growth_mb: growth,
        mapped_file_growth_mb: spread(measured.map((m) => m.mapped_file_growth_mb)),
        worker_heap: workerHeap(measured, EXPORT_MEMORY_TARGET_MB),
        target_growth_mb: EXPORT_MEMORY_TARGET_MB,
        ok: growth.median <= EXPORT_MEMORY_TARGET_MB,
      });
    }
  }
  const largest = Math.max(...sizes);
  // The control: the largest size's rows read by the bare worker (bench/baseline), a page of
  // the export's size a request, and dropped: no app, no export. What it grows by is what
  // reading these rows through the local D1 costs the runtime, whatever reads them.
  const bare = await repeat(withControl ? runs : 0, () =>
    memoryOf(
      () => startBaseline(stateDir),
      async () => {},
      async (server) => {
        let after = 0;
        let rows = 0;
        for (;;) {
          const page = (await (await fetch(`${server.baseUrl}/?after=${after}`)).json()) as {
            rows: number;
            last: number | null;
          };
          if (page.last === null) break;
          rows += page.rows;
          after = page.last;
        }
        if (rows < largest) throw new Error(`the bare worker read ${rows} of ${largest} rows`);
        return rows;
      },
    ),
  );
  return {
    sizes: [...sizes],
    runs,
    exports: results,
    bare_read_control: withControl ? { rows: largest, growth_mb: spread(bare.map((m) => m.growth_mb)) } : null,
  };
}
