import { spawnSync } from "node:child_process";
import type { DevServer } from "../scripts/lib/dev-server.ts";
import { ROOT } from "../scripts/lib/wrangler.ts";
import { seedRecommendations } from "./seed.ts";
import { percentile, round, timeSequential } from "./stats.ts";

export const QUEUE_P95_TARGET_MS = 50;

function npmRun(server: DevServer, script: string, args: string[]): string {
  const result = spawnSync("npm", ["run", "-s", script, "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, DOSSIER_STATE: server.stateDir },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return result.stdout;
}

async function expectOk(res: Response, what: string): Promise<void> {
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${what}: ${res.status}`);
}

/**
 * CONTRACT §8.2: `/review` (signed in) and `GET /api/v1/recommendations`
 * latency with `count` recommendations stored. Each request is timed on its
 * own (one at a time), after a warm-up.
 */
export async function measureQueue(server: DevServer, count: number, requests: number) {
  seedRecommendations(server.stateDir, count);
  const email = `bench-${Date.now()}@example.org`;
  const password = "bench-password-long-enough";
  npmRun(server, "staff", ["add", "--email", email, "--role", "reviewer", "--password", password]);
  const token = npmRun(server, "token", ["create", "--name", `bench-${Date.now()}`, "--scopes", "export"])
    .trim()
    .split("\n")
    .at(-1);
  const login = await fetch(`${server.baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (!cookie.startsWith("__Host-session=")) throw new Error(`bench sign-in failed: ${login.status}`);

  const pages = [
    "/review",
    "/review?step=legal_review",
    "/review?country=SY&category=torture",
    "/review?q=Bench%20target%2012",
  ];
  const review = await timeSequential(requests, 10, async (i) => {
    const path = pages[i % pages.length] as string;
    await expectOk(await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } }), path);
  });
  const api = await timeSequential(requests, 10, async (i) => {
    const query = i % 2 === 0 ? "?limit=100" : "?limit=100&country=UA&category=bribery";
    const res = await fetch(`${server.baseUrl}/api/v1/recommendations${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    await expectOk(res, "list API");
  });
  const summary = (times: number[]) => ({
    requests: times.length,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    target_p95_ms: QUEUE_P95_TARGET_MS,
    ok: percentile(times, 95) <= QUEUE_P95_TARGET_MS,
  });
  return { recommendations: count, review: { pages, ...summary(review) }, list_api: summary(api) };
}
