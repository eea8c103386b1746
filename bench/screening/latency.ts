import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DevServer } from "../../scripts/lib/dev-server.ts";
import { OFFLINE_ENV, ROOT, wrangler } from "../../scripts/lib/wrangler.ts";
import { nameKeys } from "../../worker/domain/lists.ts";
import type { Access } from "../access.ts";
import { latency, repeat, timeSequential } from "../stats.ts";

export const SCREEN_P95_TARGET_MS = 50;

/** Name parts in several scripts, combined into many distinct people (with the repeats real lists have). */
const GIVEN = [
  ["Mohammed", "محمد"],
  ["Ahmed", "أحمد"],
  ["Ali", "علي"],
  ["Hassan", "حسن"],
  ["Alexander", "Александр"],
  ["Sergei", "Сергей"],
  ["Ivan", "Иван"],
  ["Dmitry", "Дмитрий"],
  ["Wei", "伟"],
  ["Jun", "军"],
  ["Rahim", "রহিম"],
  ["Karim", "করিম"],
  ["Reza", "رضا"],
  ["Hossein", "حسین"],
  ["Min", "မင်း"],
  ["Maria", "Мария"],
] as const;
const FAMILY = [
  ["Kadyrov", "Кадыров"],
  ["Petrov", "Петров"],
  ["Sidorov", "Сидоров"],
  ["Volkov", "Волков"],
  ["Al-Qahtani", "القحطاني"],
  ["Al-Asiri", "العسيري"],
  ["Hosseini", "حسینی"],
  ["Rahmani", "رحمانی"],
  ["Wang", "王"],
  ["Chen", "陈"],
  ["Zhang", "张"],
  ["Ahmed", "আহমেদ"],
  ["Chowdhury", "চৌধুরী"],
  ["Aung", "အောင်"],
] as const;

function person(i: number): { latin: string; native: string } {
  const g = GIVEN[i % GIVEN.length] as readonly [string, string];
  const f = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length] as readonly [string, string];
  // A third part makes each of the many people distinct, as real names are.
  const tag = (i * 7919).toString(36);
  return { latin: `${g[0]} ${tag} ${f[0]}`, native: `${g[1]} ${tag} ${f[1]}` };
}

/** `count` listed people in FtM NDJSON, each with a name in its own script as an alias. */
function listFile(dir: string, count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = person(i);
    lines.push(
      JSON.stringify({
        id: `bench-list-${i}`,
        schema: i % 10 === 0 ? "Organization" : "Person",
        properties: { name: [p.latin], alias: [p.native], nationality: ["ru"] },
        datasets: [["us_ofac_sdn", "gb_hmt_sanctions", "eu_fsf"][i % 3]],
      }),
    );
  }
  const file = join(dir, "bench-list.ftm.ndjson");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/**
 * The import takes a while, during which the runtime closes the client's idle keep-alive
 * connection; the next request on it fails with "other side closed" (the runtime itself is
 * fine). One request that may fail so, before anything is timed.
 */
async function reconnect(baseUrl: string): Promise<void> {
  try {
    await (await fetch(baseUrl)).arrayBuffer();
  } catch {
    await (await fetch(baseUrl)).arrayBuffer();
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Screening's own rows for the recommendations the queue bench seeded (`bench-1`…): their targets' keys and parties. */
function seedTargets(dir: string, count: number): void {
  const parties: string[] = [];
  const keys: string[] = [];
  for (let i = 1; i <= count; i++) {
    const p = person(i + 1_000_000);
    const party = { kind: "person", names: [p.native, p.latin], nationalities: ["RU"] };
    parties.push(
      `(${quote(`bench-${i}:0`)}, ${quote(`bench-${i}`)}, ${quote(`REC-2020-B${i}`)}, ${quote(p.native)}, ${quote(JSON.stringify(party))})`,
    );
    for (const key of nameKeys(party)) keys.push(`(${quote(key)}, ${quote(`bench-${i}:0`)}, 'recommendation')`);
  }
  const statements: string[] = [];
  for (let i = 0; i < parties.length; i += 500) {
    statements.push(
      `INSERT OR REPLACE INTO target_parties (owner, rec_id, reference, name, party) VALUES ${parties.slice(i, i + 500).join(", ")};`,
    );
  }
  for (let i = 0; i < keys.length; i += 500) {
    statements.push(
      `INSERT OR IGNORE INTO name_keys (key, owner, source) VALUES ${keys.slice(i, i + 500).join(", ")};`,
    );
  }
  statements.push("UPDATE recommendations SET screened_at = '2026-01-01T00:00:00.000Z' WHERE id LIKE 'bench-%';");
  const file = join(dir, "bench-targets.sql");
  writeFileSync(file, statements.join("\n"));
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", dir, "--file", file, "--yes"]);
}

/**
 * `POST /api/v1/screen` latency with `entities` listed and the `recommendations`
 * the queue bench seeded, each screened: queries are listed names and their
 * spellings in other scripts and orders, one request at a time.
 */
export async function measureScreening(
  server: DevServer,
  access: Access,
  entities: number,
  recommendations: number,
  requests: number,
  runs: number,
) {
  const file = listFile(server.stateDir, entities);
  const imported = spawnSync("node", ["scripts/lists.ts", "import", file], {
    cwd: ROOT,
    env: { ...OFFLINE_ENV, DOSSIER_STATE: server.stateDir },
    encoding: "utf8",
  });
  if (imported.status !== 0) throw new Error(`lists import: ${imported.stderr}`);
  seedTargets(server.stateDir, recommendations);
  await reconnect(server.baseUrl);
  const { token } = access;
  let answered = 0;
  let failure: string | null = null;
  const timed = repeat(runs, () =>
    timeSequential(requests, 10, async (i) => {
      const p = person((i * 104_729) % entities);
      const [given, tag, family] = p.latin.split(" ");
      const name = [p.native, `${family} ${given} ${tag}`, p.latin.toUpperCase()][i % 3] as string;
      const res = await fetch(`${server.baseUrl}/api/v1/screen`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name }),
      });
      if (!res.ok) throw new Error(`screen: ${res.status}`);
      const body = (await res.json()) as { matches: unknown[] };
      if (body.matches.length === 0) throw new Error(`screen found nothing for ${name}`);
      answered++;
    }),
  );
  // A runtime that dies under the load is a result too (missed, with when), not the end of the run.
  const times = await timed.catch((error: unknown) => {
    const cause = error instanceof Error && error.cause ? `: ${String(error.cause)}` : "";
    failure = `the local runtime closed the connection after ${answered} requests (${String(error)}${cause})`;
    return [] as number[][];
  });
  if (failure) {
    return {
      entities,
      recommendations,
      requests: answered,
      runs,
      p50_ms: null,
      p95_ms: null,
      target_p95_ms: SCREEN_P95_TARGET_MS,
      ok: false,
      failure,
    };
  }
  return { entities, recommendations, ...latency(times, SCREEN_P95_TARGET_MS) };
}
