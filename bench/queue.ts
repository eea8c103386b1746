import type { DevServer } from "../scripts/lib/dev-server.ts";
import type { Access } from "./access.ts";
import { seedRecommendations } from "./seed.ts";
import { latency, repeat, timeSequential } from "./stats.ts";

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
export async function measureQueue(server: DevServer, access: Access, count: number, requests: number, runs: number) {
  seedRecommendations(server.stateDir, count);
  const { reviewerCookie: cookie, token } = access;

  const pages = [
    "/review",
    "/review?step=legal_review",
    "/review?country=SY&category=torture",
    "/review?q=Bench%20target%2012",
  ];
  const review = await repeat(runs, () =>
    timeSequential(requests, 10, async (i) => {
      const path = pages[i % pages.length] as string;
      await expectOk(await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } }), path);
    }),
  );
  const api = await repeat(runs, () =>
    timeSequential(requests, 10, async (i) => {
      const query = i % 2 === 0 ? "?limit=100" : "?limit=100&country=UA&category=bribery";
      const res = await fetch(`${server.baseUrl}/api/v1/recommendations${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      await expectOk(res, "list API");
    }),
  );
  return {
    recommendations: count,
    review: { pages, ...latency(review, QUEUE_P95_TARGET_MS) },
    list_api: latency(api, QUEUE_P95_TARGET_MS),
  };
}
