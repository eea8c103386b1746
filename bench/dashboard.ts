import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DevServer } from "../scripts/lib/dev-server.ts";
import { wrangler } from "../scripts/lib/wrangler.ts";
import type { Access } from "./access.ts";
import { latency, repeat, timeSequential } from "./stats.ts";

export const DASHBOARD_P95_TARGET_MS = 100;

/**
 * Filings for a fifth of the recommendations the queue group stored
 * (`bench-1`…), one to three governments each, with a mix of outcomes: the
 * statistics have something to count.
 */
function seedFilings(stateDir: string, recommendations: number): number {
  const programmes = "'us_glomag','uk_global_human_rights','eu_global_human_rights','ca_magnitsky','au_magnitsky'";
  const sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${recommendations}),
  f(i, k) AS (SELECT i, 0 FROM n WHERE i % 5 = 0 UNION ALL SELECT i, k + 1 FROM f WHERE k < i % 3)
INSERT INTO filings (id, rec_id, programme, filed_on, channel, addressee, filed_by, outcome, outcome_on, event_seq)
SELECT 'bench-filing-' || i || '-' || k, 'bench-' || i, json_extract(json_array(${programmes}), '$[' || ((i + k) % 5) || ']'),
  date('2025-01-01', '+' || (i % 300) || ' days'), 'email', 'bench', 'bench@example.org',
  CASE (i + k) % 4 WHEN 0 THEN 'designated' WHEN 1 THEN 'not_designated' ELSE NULL END,
  CASE WHEN (i + k) % 4 < 2 THEN date('2025-01-01', '+' || (i % 300 + 30 + i % 200) || ' days') END, 1
FROM f;`;
  const file = join(stateDir, "bench-filings.sql");
  writeFileSync(file, sql);
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file, "--yes"]);
  let count = 0;
  for (let i = 5; i <= recommendations; i += 5) count += (i % 3) + 1;
  return count;
}

/** `GET /api/v1/stats` and `/dashboard` latency over the queue group's recommendations, one request at a time. */
export async function measureDashboard(
  server: DevServer,
  access: Access,
  recommendations: number,
  requests: number,
  runs: number,
) {
  const filings = seedFilings(server.stateDir, recommendations);
  const { coordinatorCookie: cookie, token } = access;
  const time = (path: string, headers: Record<string, string>) =>
    repeat(runs, () =>
      timeSequential(requests, 5, async () => {
        const res = await fetch(`${server.baseUrl}${path}`, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${path}: ${res.status}`);
      }),
    );
  const stats = await time("/api/v1/stats", { Authorization: `Bearer ${token}` });
  const page = await time("/dashboard", { Cookie: cookie });
  return {
    recommendations,
    filings,
    stats: latency(stats, DASHBOARD_P95_TARGET_MS),
    dashboard: latency(page, DASHBOARD_P95_TARGET_MS),
  };
}
