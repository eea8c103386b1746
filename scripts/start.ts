/**
 * `npm start`: local D1 migrations, a local DATA_KEY, then wrangler dev on
 * 127.0.0.1:${PORT:-8787} with D1, R2 and Durable Objects under .wrangler/state.
 */
import { ensureLocalDataKey } from "./lib/dev-vars.ts";
import { spawnWrangler, wrangler } from "./lib/wrangler.ts";

const port = process.env.PORT ?? "8787";
const persist = process.env.DOSSIER_STATE ?? ".wrangler/state";

ensureLocalDataKey();
await import("./build-web.ts");
wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);

const dev = spawnWrangler([
  "dev",
  "--ip",
  "127.0.0.1",
  "--port",
  port,
  "--persist-to",
  persist,
  "--show-interactive-dev-session=false",
]);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
