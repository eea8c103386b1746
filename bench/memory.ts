import { existsSync, readdirSync, readFileSync } from "node:fs";
import { type DevServer, freePort, startDevServer } from "../scripts/lib/dev-server.ts";
import { heapSampler } from "./heap.ts";
import { spread } from "./stats.ts";

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
function memorySampler(pids: number[]) {
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
 * A runtime the benchmarks start and stop: the app's `npm start`, or a bench
 * worker; with the port of the app Worker's debugger when it has one.
 */
export type Runtime = Pick<DevServer, "baseUrl" | "process" | "stop"> & { inspectorPort?: number };

/** The app's `npm start` on `stateDir`, for `memoryOf`, its Worker's debugger on a port of its own. */
export function appOn(stateDir: string, env: Record<string, string>): () => Promise<Runtime> {
  return async () => {
    const inspectorPort = await freePort();
    const server = await startDevServer({
      quiet: true,
      env: { ...env, DOSSIER_INSPECTOR_PORT: String(inspectorPort) },
      stateDir,
    });
    return { ...server, inspectorPort };
  };
}

/**
 * Runs `work` in a runtime started for it (and stopped after): its memory at
 * rest once `warm` has run (the Worker loaded, nothing else done), and at its
 * peak during `work`, sampled every 20 ms. Memory is the processes' own
 * (RssAnon); pages of files they map are reported apart. For the app, the
 * Worker's own heap too (`worker_heap`, see heap.ts).
 */
export async function memoryOf<T>(
  start: () => Promise<Runtime>,
  warm: (server: Runtime) => Promise<void>,
  work: (server: Runtime) => Promise<T>,
): Promise<{
  result: T;
  idle_mb: number;
  peak_mb: number;
  growth_mb: number;
  mapped_file_growth_mb: number;
  worker_heap: Awaited<ReturnType<Awaited<ReturnType<typeof heapSampler>>["stop"]>> | null;
}> {
  const server = await start();
  try {
    const pids = runtimePids(server.process.pid as number);
    await warm(server);
    await new Promise((r) => setTimeout(r, 500));
    const heap = server.inspectorPort ? await heapSampler(server.inspectorPort) : null;
    const sampler = memorySampler(pids);
    const result = await work(server);
    const peak = sampler.stop();
    return {
      result,
      worker_heap: heap ? await heap.stop() : null,
      idle_mb: sampler.idle.anon,
      peak_mb: peak.anon,
      growth_mb: peak.anon - sampler.idle.anon,
      mapped_file_growth_mb: peak.file - sampler.idle.file,
    };
  } finally {
    await stopped(server);
  }
}

/** Stops a server and waits for it to be gone, so the next can open the same state. */
export async function stopped(server: Runtime): Promise<void> {
  const pids = runtimePids(server.process.pid as number);
  const exited = new Promise((resolve) => {
    if (server.process.exitCode !== null) resolve(null);
    else server.process.once("exit", resolve);
  });
  server.stop();
  await exited;
  // The runtime's own processes end a moment after the npm process that started them.
  for (let i = 0; i < 50 && pids.some((pid) => existsSync(`/proc/${pid}`)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

type HeapFigures = NonNullable<Awaited<ReturnType<typeof memoryOf>>["worker_heap"]>;

/** The Worker's heap over some runs of `memoryOf`, as spreads, against a target for its growth. */
export function workerHeap(runs: readonly { worker_heap: HeapFigures | null }[], targetGrowthMb: number) {
  const heaps = runs.map((run) => run.worker_heap).filter((heap) => heap !== null);
  if (heaps.length === 0 || heaps.length < runs.length) return null;
  const of = (key: keyof HeapFigures) => spread(heaps.map((heap) => heap[key]));
  const growth = of("growth_mb");
  return {
    idle_mb: of("idle_mb"),
    peak_mb: of("peak_mb"),
    growth_mb: growth,
    reserved_growth_mb: of("reserved_growth_mb"),
    target_growth_mb: targetGrowthMb,
    ok: growth.median <= targetGrowthMb,
  };
}
