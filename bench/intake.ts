import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, freePort } from "../scripts/lib/dev-server.ts";
import { OFFLINE_ENV, ROOT, wrangler } from "../scripts/lib/wrangler.ts";
import { intakeBody } from "./bodies.ts";
import { type Runtime, runtimePids } from "./memory.ts";
import { percentile, repeat, round, spread } from "./stats.ts";

export const INTAKE_RATIO_TARGET = 0.5;

export type Baseline = Runtime & { stateDir: string };

/**
 * The bare worker (bench/baseline): on a state of its own, migrated like the
 * app's, or on `stateDir` (an app's state, to read its rows).
 */
export async function startBaseline(stateDir?: string): Promise<Baseline> {
  const state = stateDir ?? mkdtempSync(join(tmpdir(), "dossier-baseline-"));
  const config = join(ROOT, "bench/baseline/wrangler.toml");
  if (!stateDir) wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state, "-c", config]);
  const port = await freePort();
  const child = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      "-c",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
    ],
    { env: OFFLINE_ENV, stdio: "ignore", detached: true },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 360; i++) {
    try {
      await fetch(`${baseUrl}/?after=${Number.MAX_SAFE_INTEGER}`);
      return {
        baseUrl,
        process: child,
        stateDir: state,
        stop() {
          if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGTERM");
          if (!stateDir) rmSync(state, { recursive: true, force: true });
        },
      };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error("baseline worker did not start");
}

async function load(
  url: string,
  requests: number,
  concurrency: number,
  headers: (i: number) => Record<string, string>,
) {
  const bodies = Array.from({ length: requests }, (_, i) => intakeBody(i));
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers(i) },
          body: bodies[i] ?? "",
        });
        await res.arrayBuffer();
        if (res.status !== 201) failed++;
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    per_s: round(requests / seconds),
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
    failed,
  };
}

/** CPU seconds the processes have used (user and system, all their threads). */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

/** Waits until the runtime is idle for `windows` half-seconds. */
async function settled(pids: readonly number[], windows: number): Promise<void> {
  let last = cpuSeconds(pids);
  for (let quiet = 0, i = 0; quiet < windows && i < 240; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pids);
    quiet = now - last < 0.03 ? quiet + 1 : 0;
    last = now;
  }
}

/**
 * One load, and the runtime's CPU per request counted until it is idle again.
 * The app leaves work for the Cron Trigger's next run (off for the
 * benchmarks, so fired here once the load is over, as its next run would):
 * opening each new recommendation's object, and putting it on the screening
 * queue, whose consumer screens it. It counts once the runtime has been idle
 * for 2.5 s, longer than the screening queue waits to fill a batch.
 */
async function measured(
  later: (() => Promise<void>) | null,
  url: string,
  pids: readonly number[],
  requests: number,
  concurrency: number,
  headers: (i: number) => Record<string, string>,
) {
  await settled(pids, 1);
  const before = cpuSeconds(pids);
  const result = await load(url, requests, concurrency, headers);
  if (later) await later();
  await settled(pids, later ? 5 : 1);
  return { ...result, cpu_ms_per_request: ((cpuSeconds(pids) - before) * 1000) / requests };
}

/** The Cron Trigger's run, as `npm start` fires it (its reconciliation opens what intake left). */
async function cronRun(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`the Cron Trigger's run answered ${res.status}`);
}

/**
 * Intake: JSON submissions per second and latency at concurrency 1
 * and 16, beside the baseline's bare insert measured the same way in the
 * same run, the two taking turns, `runs` times. Each submission comes from
 * its own client address (the app limits submissions per client).
 */
export async function measureIntake(server: DevServer, baseline: Baseline, quick: boolean, runs: number) {
  try {
    const appPids = runtimePids(server.process.pid as number);
    const basePids = runtimePids(baseline.process.pid as number);
    const results = [];
    for (const [concurrency, requests] of [
      [1, quick ? 40 : 300],
      [16, quick ? 100 : 1000],
    ] as const) {
      const pairs = await repeat(runs, async (run) => {
        const base = await measured(null, `${baseline.baseUrl}/`, basePids, requests, concurrency, () => ({}));
        const app = await measured(
          () => cronRun(server.baseUrl),
          `${server.baseUrl}/api/v1/recommendations`,
          appPids,
          requests,
          concurrency,
          (i) => ({
            "CF-Connecting-IP": `bench-${concurrency}-${run}-${i}-${Date.now()}`,
          }),
        );
        return { base, app };
      });
      const of = (side: "app" | "base", key: "per_s" | "p50_ms" | "p95_ms" | "p99_ms" | "cpu_ms_per_request") =>
        spread(pairs.map((pair) => pair[side][key]));
      const ratio = spread(
        pairs.map(({ app, base }) => app.per_s / base.per_s),
        2,
      );
      results.push({
        concurrency,
        requests,
        app: {
          per_s: of("app", "per_s"),
          p50_ms: of("app", "p50_ms"),
          p95_ms: of("app", "p95_ms"),
          p99_ms: of("app", "p99_ms"),
          cpu_ms_per_request: of("app", "cpu_ms_per_request"),
          failed: pairs.reduce((n, pair) => n + pair.app.failed, 0),
        },
        baseline: {
          per_s: of("base", "per_s"),
          p95_ms: of("base", "p95_ms"),
          cpu_ms_per_request: of("base", "cpu_ms_per_request"),
          failed: pairs.reduce((n, pair) => n + pair.base.failed, 0),
        },
        ratio,
        target_ratio: concurrency === 16 ? INTAKE_RATIO_TARGET : null,
        ok: concurrency === 16 ? ratio.median >= INTAKE_RATIO_TARGET : true,
      });
    }
    return {
      baseline: "bench/baseline/worker.ts (one D1 insert of the same row)",
      bodies: "bench/bodies.ts (a different target for each of 1,081 requests)",
      runs: results,
    };
  } finally {
    baseline.stop();
  }
}
