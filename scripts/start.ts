/**
 * `npm start`: local D1 migrations, a local DATA_KEY, then wrangler dev on
 * 127.0.0.1:${PORT:-8787} with D1, R2 and Durable Objects under .wrangler/state.
 * The local runtime does not fire Cron Triggers by itself, so this fires the
 * scheduled handler as production would: once the server answers (repairing
 * what a crash left), then every five minutes.
 */
import { localState, migrate } from "./lib/d1.ts";
import { ensureLocalKeys } from "./lib/dev-vars.ts";
import { spawnWrangler } from "./lib/wrangler.ts";

const port = process.env.PORT ?? "8787";
const persist = localState();

ensureLocalKeys();
await import("./build-web.ts");
const applied = migrate({ remote: false });
if (applied > 0)
  console.log(`Applied ${applied} migration${applied === 1 ? "" : "s"} to the local database in ${persist}`);

const dev = spawnWrangler([
  "dev",
  "--ip",
  "127.0.0.1",
  "--port",
  port,
  "--persist-to",
  persist,
  "--show-interactive-dev-session=false",
  "--test-scheduled",
  // The caps on everyone together can be raised for a run (the benchmarks and the reliability suite send thousands).
  ...["GLOBAL_SUBMISSIONS_PER_HOUR", "GLOBAL_UPLOADS_PER_HOUR"].flatMap((name) =>
    process.env[name] ? ["--var", `${name}:${process.env[name]}`] : [],
  ),
  // The Worker's debugger (on a free port by default): the benchmarks read its heap there.
  ...(process.env.DOSSIER_INSPECTOR_PORT ? ["--inspector-port", process.env.DOSSIER_INSPECTOR_PORT] : []),
]);

const CRON_MS = 5 * 60_000;
const scheduled = `http://127.0.0.1:${port}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`;
async function fireCron(): Promise<boolean> {
  try {
    return (await fetch(scheduled)).ok;
  } catch {
    return false; // not listening yet, or shutting down
  }
}
// DOSSIER_LOCAL_CRON=off leaves it to the caller (the reliability suite checks the state a crash left first).
if (process.env.DOSSIER_LOCAL_CRON !== "off") {
  const firstRun = setInterval(async () => {
    if (await fireCron()) clearInterval(firstRun);
  }, 1000);
  setInterval(fireCron, CRON_MS).unref();
  firstRun.unref();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
