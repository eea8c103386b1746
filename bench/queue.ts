import type { DevServer } from "../scripts/lib/dev-server.ts";
import { addStaff, createToken, signIn } from "../scripts/lib/local-accounts.ts";
import { seedRecommendations } from "./seed.ts";
import { percentile, round, timeSequential } from "./stats.ts";

export const QUEUE_P95_TARGET_MS = 50;

async function expectOk(res: Response, what: string): Promise<void> {
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${what}: ${res.status}`);
}

/**
 * The queue: `/review` (signed in) and `GET /api/v1/recommendations`
 * latency with `count` recommendations stored. Each request is timed on its
 * own (one at a time), after a warm-up.
 */
export async function measureQueue(server: DevServer, count: number, requests: number) {
  seedRecommendations(server.stateDir, count);
  const reviewer = addStaff(server.stateDir, "reviewer", "bench");
  const token = createToken(server.stateDir, reviewer.email, ["export"], "bench");
  const cookie = await signIn(server.baseUrl, reviewer);
  if (!cookie.startsWith("__Host-session=")) throw new Error("bench sign-in failed");

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
