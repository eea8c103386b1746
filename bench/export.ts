import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addStaff, createToken } from "../scripts/lib/local-accounts.ts";
import { wrangler } from "../scripts/lib/wrangler.ts";
import { memoryOf } from "./memory.ts";
import { seedRecommendations } from "./seed.ts";
import { repeat, spread } from "./stats.ts";

export const EXPORT_MEMORY_TARGET_MB = 64;

/**
 * Exports: CSV and NDJSON of `sizes` recommendations (on a state of their
 * own, grown from one size to the next), read to the end: rows/s, and the
 * runtime's peak memory beside its memory at rest, each run in a runtime
 * started for it. That the growth stays the same from the smallest size to
 * the largest is what shows an export's memory does not grow with its rows.
 */
export async function measureExports(
  env: Record<string, string>,
  sizes: readonly number[],
  runs: number,
  withControl: boolean,
) {
  const stateDir = mkdtempSync(join(tmpdir(), "dossier-export-"));
  try {
    wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
    const owner = addStaff(stateDir, "coordinator", "bench-export");
    const token = createToken(stateDir, owner.email, ["export"], "bench-export");
    const headers = { Authorization: `Bearer ${token}` };
    const results: Record<string, unknown>[] = [];
    let seeded = 0;
    for (const size of sizes) {
      seedRecommendations(stateDir, size - seeded, seeded + 1);
      seeded = size;
      for (const format of ["csv", "ndjson"] as const) {
        const measured = await repeat(runs, () =>
          memoryOf(
            stateDir,
            env,
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
          ),
        );
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
          target_growth_mb: EXPORT_MEMORY_TARGET_MB,
          ok: growth.median <= EXPORT_MEMORY_TARGET_MB,
        });
      }
    }
    // The control: the largest size's rows read through the list API, a hundred a request, with
    // nothing held from one request to the next. When it grows as the exports do, what grows is
    // the local runtime reading D1 rows, not the export.
    const largest = Math.max(...sizes);
    const paged = await repeat(withControl ? runs : 0, () =>
      memoryOf(
        stateDir,
        env,
        async (server) => {
          await (await fetch(`${server.baseUrl}/api/v1/recommendations?limit=100`, { headers })).arrayBuffer();
        },
        async (server) => {
          let cursor: string | null = null;
          let rows = 0;
          do {
            const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
            const res = await fetch(`${server.baseUrl}/api/v1/recommendations?limit=100${query}`, { headers });
            const page = (await res.json()) as { items: unknown[]; next_cursor: string | null };
            rows += page.items.length;
            cursor = page.next_cursor;
          } while (cursor);
          if (rows < largest) throw new Error(`the list API gave ${rows} of ${largest} rows`);
          return rows;
        },
      ),
    );
    return {
      sizes: [...sizes],
      runs,
      exports: results,
      list_api_control: withControl ? { rows: largest, growth_mb: spread(paged.map((m) => m.growth_mb)) } : null,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
