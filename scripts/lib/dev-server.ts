import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./wrangler.ts";

export interface DevServer {
  baseUrl: string;
  stateDir: string;
  process: ChildProcess;
  /** Ends the server and removes its state (unless it was started on a given state). */
  stop(): void;
  /** SIGKILL to the whole server (wrangler and the runtime), as a crash would; the state stays. */
  crash(): void;
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitFor(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      if ((await fetch(url, { redirect: "manual" })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

/**
 * Runs `npm start` exactly as a user would, on a free port and a fresh state
 * directory (for the browser tests and the benchmarks).
 */
export async function startDevServer(
  options: { quiet?: boolean; stateDir?: string; env?: Record<string, string> } = {},
): Promise<DevServer> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "dossier-"));
  const port = await freePort();
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, PORT: String(port), DOSSIER_STATE: stateDir },
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/`, child, 90);
  return {
    baseUrl,
    stateDir,
    process: child,
    stop() {
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGTERM");
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
    crash() {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    },
  };
}
