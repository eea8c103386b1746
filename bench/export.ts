import { readdirSync, readFileSync } from "node:fs";
import type { DevServer } from "../scripts/lib/dev-server.ts";
import { addStaff, createToken } from "../scripts/lib/local-accounts.ts";
import { round } from "./stats.ts";

export const EXPORT_MEMORY_TARGET_MB = 64;

/** The workerd processes running this dev server (its descendants). */
export function runtimePids(root: number): number[] {
  const parent = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parent.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name.startsWith("workerd") && descends(pid)).map(([pid]) => pid);
}

/**
 * Resident memory of the runtime, in MB: `anon` is the memory the processes
 * own (heaps, buffers); `file` is pages of files they map, such as the
 * SQLite database being read, which the kernel can drop at any time.
 */
function memoryMb(pids: number[]): { anon: number; file: number } {
  let anon = 0;
  let file = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      anon += Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0);
      file += Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) + Number(/RssShmem:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { anon: anon / 1024, file: file / 1024 };
}

/** Samples the runtime's memory every 20 ms from now: `idle` is now, `stop()` ends and gives the peak. */
export function memorySampler(pids: number[]) {
  const idle = memoryMb(pids);
  const peak = { ...idle };
  const timer = setInterval(() => {
    const now = memoryMb(pids);
    peak.anon = Math.max(peak.anon, now.anon);
    peak.file = Math.max(peak.file, now.file);
  }, 20);
  return {
    idle,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Exports: CSV and NDJSON exports of `count` recommendations, read to
 * the end: rows/s, and the runtime's peak memory (sampled every 20 ms)
 * beside its memory at rest just before. Memory is the processes' own
 * (RssAnon); pages of the database file they map are reported apart.
 */
export async function measureExports(server: DevServer, count: number, alreadySeeded: number) {
  if (count > alreadySeeded) {
    const { seedRecommendations } = await import("./seed.ts");
    seedRecommendations(server.stateDir, count - alreadySeeded, alreadySeeded + 1);
  }
  const owner = addStaff(server.stateDir, "coordinator", "bench-export");
  const token = createToken(server.stateDir, owner.email, ["export"], "bench-export");
  const pids = runtimePids(server.process.pid as number);
  const results: Record<string, unknown>[] = [];
  for (const format of ["csv", "ndjson"] as const) {
    await fetch(`${server.baseUrl}/api/v1/recommendations?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise((r) => setTimeout(r, 500));
    const sampler = memorySampler(pids);
    const { idle } = sampler;
    const started = performance.now();
    const res = await fetch(`${server.baseUrl}/api/v1/exports/recommendations.${format}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    let lines = 0;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const byte of value) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    const peak = sampler.stop();
    const rows = format === "csv" ? lines - 1 : lines;
    if (rows < count) throw new Error(`${format} export gave ${rows} of ${count} rows`);
    results.push({
      format,
      rows,
      seconds: round(seconds, 2),
      rows_per_s: Math.round(rows / seconds),
      idle_mb: round(idle.anon),
      peak_mb: round(peak.anon),
      growth_mb: round(peak.anon - idle.anon),
      target_growth_mb: EXPORT_MEMORY_TARGET_MB,
      ok: peak.anon - idle.anon <= EXPORT_MEMORY_TARGET_MB,
      mapped_file_growth_mb: round(peak.file - idle.file),
    });
  }
  return { recommendations: count, runtime_processes: pids.length, exports: results };
}
