import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevServer } from "../scripts/lib/dev-server.ts";
import { OFFLINE_ENV, ROOT, wrangler } from "../scripts/lib/wrangler.ts";
import { intakeBody } from "./bodies.ts";
import { percentile, round } from "./stats.ts";

export const INTAKE_RATIO_TARGET = 0.5;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** The baseline worker (bench/baseline), on its own state, migrated like the app. */
async function startBaseline(): Promise<{ url: string; child: ChildProcess; state: string }> {
  const state = mkdtempSync(join(tmpdir(), "dossier-baseline-"));
  const config = join(ROOT, "bench/baseline/wrangler.toml");
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state, "-c", config]);
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
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 360; i++) {
    try {
      await fetch(url, { method: "POST", body: intakeBody(0) });
      return { url, child, state };
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

/**
 * Intake: JSON submissions per second and latency at concurrency 1
 * and 16, beside the baseline's bare insert measured the same way in the
 * same run. Each submission comes from its own client address (the app
 * limits submissions per client).
 */
export async function measureIntake(server: DevServer, quick: boolean) {
  const baseline = await startBaseline();
  try {
    const runs = [];
    for (const [concurrency, requests] of [
      [1, quick ? 40 : 300],
      [16, quick ? 100 : 1000],
    ] as const) {
      const base = await load(baseline.url, requests, concurrency, () => ({}));
      const app = await load(`${server.baseUrl}/api/v1/recommendations`, requests, concurrency, (i) => ({
        "CF-Connecting-IP": `bench-${concurrency}-${i}-${Date.now()}`,
      }));
      runs.push({
        concurrency,
        requests,
        app,
        baseline: base,
        ratio: round(app.per_s / base.per_s, 2),
        target_ratio: concurrency === 16 ? INTAKE_RATIO_TARGET : null,
        ok: concurrency === 16 ? app.per_s / base.per_s >= INTAKE_RATIO_TARGET : true,
      });
    }
    return { baseline: "bench/baseline/worker.ts (one D1 insert of the same row)", runs };
  } finally {
    if (baseline.child.pid) process.kill(-baseline.child.pid, "SIGTERM");
    rmSync(baseline.state, { recursive: true, force: true });
  }
}
