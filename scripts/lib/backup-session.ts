import { join } from "node:path";
import { eq } from "drizzle-orm";
import { apiTokens } from "../../worker/db/schema.ts";
import { BACKUP_PATH } from "../../worker/domain/backup.ts";
import { newSecret, secretHash } from "../../worker/security/secrets.ts";
import { fail } from "./args.ts";
import { builder, execute, type Target } from "./d1.ts";
import { type DevServer, startDevServer } from "./dev-server.ts";
import { ROOT } from "./wrangler.ts";

/** A token's life when a run is cut off before it deletes it. */
const TOKEN_HOURS = 24;

export interface BackupSession {
  /** Calls a backup route; anything but 2xx ends the command with the Worker's message. */
  call(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
  /** Deletes the run's token and stops the local server. */
  close(): Promise<void>;
}

/**
 * What the backup and restore commands talk to: the deployment at `url`
 * (--remote), or the local state through a Worker started on it for the
 * run (with no Cron Trigger, so nothing moves meanwhile), and a token with
 * the `backup` scope made for the run in D1 and deleted after it.
 */
export async function openSession(target: Target, url: string | undefined): Promise<BackupSession> {
  let server: DevServer | undefined;
  if (target.remote) {
    if (!url) fail("--remote needs --url: where the deployment answers (e.g. https://dossier.example.org)");
  } else {
    const stateDir = process.env.DOSSIER_STATE ?? join(ROOT, ".wrangler/state");
    server = await startDevServer({ quiet: true, stateDir, env: { DOSSIER_LOCAL_CRON: "off" } });
  }
  const base = new URL(BACKUP_PATH, url ?? server?.baseUrl).href;
  const token = newSecret("dos");
  const id = crypto.randomUUID();
  const now = new Date();
  execute(
    builder.insert(apiTokens).values({
      id,
      ownerId: null,
      name: `backup ${now.toISOString()}`,
      tokenHash: await secretHash(token),
      scopes: "backup",
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + TOKEN_HOURS * 3_600_000).toISOString(),
    }),
    target,
  );
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${token}`);
    // Not a form: without a type the Worker's cross-site check would take a body for one.
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/octet-stream");
    const res = await fetch(`${base}${path}`, { ...init, headers });
    if (!res.ok) {
      const body = await res.text();
      const message = /"message":"([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 300);
      throw new Error(`${init.method ?? "GET"} ${path.split("?")[0]} answered ${res.status}: ${message}`);
    }
    return res;
  };
  return {
    call,
    json: async <T>(path: string, init?: RequestInit) => (await call(path, init)).json() as Promise<T>,
    async close() {
      execute(builder.delete(apiTokens).where(eq(apiTokens.id, id)), target);
      if (!server) return;
      const exited = new Promise((resolve) => server?.process.once("exit", resolve));
      server.stop();
      // The state is the user's once this returns (a test wipes it next): wait for the runtime to let go.
      await exited;
    },
  };
}

/** The archive's key: the passphrase when given, else DATA_KEY (from the environment, or .dev.vars locally). */
export function secretOf(passphrase: string | undefined, dataKey: string | undefined) {
  if (passphrase !== undefined) {
    if (passphrase.length < 12) fail("--passphrase must be at least 12 characters");
    return { passphrase };
  }
  if (!dataKey) fail("DATA_KEY is needed for the archive's key: set it in the environment, or pass --passphrase");
  return { dataKey };
}
