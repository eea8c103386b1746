import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startDevServer } from "../scripts/lib/dev-server.ts";
import { wranglerInBackground } from "../scripts/lib/wrangler.ts";
import { stopped } from "./memory.ts";
import { repeat, round, spread } from "./stats.ts";

const KiB = 1024;

/**
 * What `wrangler deploy --dry-run` would upload: the bundle's bytes and its
 * gzip, source maps left out. Built in the background (nothing is timed
 * meanwhile); `moduleScope` removes it.
 */
export async function buildBundle() {
  const outdir = mkdtempSync(join(tmpdir(), "dossier-bundle-"));
  await wranglerInBackground(["deploy", "--dry-run", "--outdir", outdir]);
  const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
  const raw = files.reduce((n, f) => n + statSync(join(outdir, f)).size, 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(outdir, f))).byteLength, 0);
  return { outdir, files, raw_kib: round(raw / KiB), gzip_kib: round(gzip / KiB) };
}

/**
 * The bundle's module scope (parse, compile, every top-level statement) run
 * in V8 by a Node process of its own, `cloudflare:workers` standing in as
 * empty classes: what the Worker does before its first request, measured
 * where it can be timed (a Worker's clock stands still while it computes).
 */
function moduleEvaluationMs(outdir: string): number {
  const source = readFileSync(join(outdir, "index.js"), "utf8").replace(
    /import \{([^}]*)\} from "cloudflare:workers";/g,
    (_, names: string) =>
      names
        .split(",")
        .map(
          (name) =>
            `const ${name
              .trim()
              .split(/\s+as\s+/)
              .pop()} = class {};`,
        )
        .join(" "),
  );
  const file = join(outdir, "evaluate.mjs");
  writeFileSync(file, source);
  const timed = spawnSync(
    process.execPath,
    [
      "-e",
      `const t = performance.now(); import(${JSON.stringify(file)}).then(() => console.log(performance.now() - t));`,
    ],
    { encoding: "utf8" },
  );
  if (timed.status !== 0) throw new Error(`evaluating the bundle: ${timed.stderr}`);
  return Number(timed.stdout.trim());
}

/** The bundle's size and its module scope's time (on a machine with nothing else running). */
export async function moduleScope(bundle: Awaited<ReturnType<typeof buildBundle>>, runs: number) {
  const { outdir, ...size } = bundle;
  try {
    const evaluation = await repeat(runs, async () => moduleEvaluationMs(outdir));
    return { ...size, module_evaluation_ms: spread(evaluation) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Cold start: `npm start` on an empty state until its first answer, then the
 * first request of the intake form on that fresh runtime beside the same
 * request warm. The last run's state is `keep` (an empty directory the caller
 * gives and removes): `npm start` migrated it, so the other groups start from it.
 */
export async function measureColdStart(env: Record<string, string>, runs: number, keep: string) {
  const fresh = await repeat(runs, async (run) => {
    const started = performance.now();
    const server = await startDevServer({ quiet: true, env, ...(run === runs - 1 ? { stateDir: keep } : {}) });
    const ready = performance.now() - started;
    try {
      const time = async () => {
        const t = performance.now();
        const res = await fetch(`${server.baseUrl}/en/`);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`/en/: ${res.status}`);
        return performance.now() - t;
      };
      const first = await time();
      const warm = await repeat(10, time);
      return { ready, first, warm: spread(warm).median };
    } finally {
      await stopped(server);
    }
  });
  return {
    runs,
    npm_start_ready_ms: spread(
      fresh.map((f) => f.ready),
      0,
    ),
    first_request_ms: spread(fresh.map((f) => f.first)),
    warm_request_ms: spread(fresh.map((f) => f.warm)),
  };
}
