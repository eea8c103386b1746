/**
 * `npm run test:reliability`: nothing acknowledged is lost, under load and
 * through a crash. Against `npm start`:
 *  1. 400 submissions at concurrency 32: no 5xx, and every receipt resolves;
 *  2. a second burst, during which the runtime is killed with SIGKILL;
 *  3. a restart on the same state and a reconciliation (as an admin would run it);
 *  4. every submission acknowledged before the kill resolves by its receipt, and
 *     every recommendation in D1 has its workflow object, in the same step.
 * Prints its figures and ends with a "N passed, N failed" line.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server.ts";
import { addStaff, createToken } from "../../scripts/lib/local-accounts.ts";
import { ROOT } from "../../scripts/lib/wrangler.ts";
import { currentTotp } from "../../worker/security/totp.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

const BURST = 400;
const CONCURRENCY = 32;
let passed = 0;
let failed = 0;

function check(ok: boolean, what: string): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

function recommendation(i: number) {
  return sampleRecommendation({ targetName: `Reliability target ${i}` });
}

interface Ack {
  reference: string;
  receipt: string;
}

/** Sends `count` submissions, `CONCURRENCY` at a time; collects the acknowledged ones and the statuses seen. */
async function burst(server: DevServer, from: number, count: number, onAck?: (n: number) => void) {
  const acks: Ack[] = [];
  const statuses: number[] = [];
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      try {
        const res = await fetch(`${server.baseUrl}/api/v1/recommendations`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "CF-Connecting-IP": `reliability-${i}`,
            "Idempotency-Key": `rel-${i}`,
          },
          body: JSON.stringify(recommendation(i)),
        });
        statuses.push(res.status);
        if (res.status === 201) {
          acks.push((await res.json()) as Ack);
          onAck?.(acks.length);
        }
      } catch {
        statuses.push(0);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { acks, statuses };
}

async function unresolved(server: DevServer, acks: Ack[]): Promise<Ack[]> {
  const missing: Ack[] = [];
  for (const ack of acks) {
    const res = await fetch(`${server.baseUrl}/api/v1/status`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": `check-${ack.reference}` },
      body: JSON.stringify({ receipt: ack.receipt }),
    });
    const body = res.ok ? ((await res.json()) as { reference: string }) : null;
    if (body?.reference !== ack.reference) missing.push(ack);
  }
  return missing;
}

function npmRun(server: DevServer, script: string, args: string[]): string {
  const r = spawnSync("npm", ["run", "-s", script, "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, DOSSIER_STATE: server.stateDir },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
  return r.stdout;
}

/** Runs the admin's reconciliation to the end, through the pages, as a person would. */
async function reconcile(server: DevServer): Promise<void> {
  const email = `admin-${Date.now()}@example.org`;
  const password = "reliability-admin-password";
  const added = npmRun(server, "staff", ["add", "--email", email, "--role", "admin", "--password", password]);
  const secret = /Secret: (\S+)/.exec(added)?.[1] ?? "";
  const login = await fetch(`${server.baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
    body: new URLSearchParams({ email, password, code: currentTotp(secret) }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  let html = await (await fetch(`${server.baseUrl}/admin`, { headers: { Cookie: cookie } })).text();
  for (let round = 0; round < 1000; round++) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const after = /name="after" value="(\d+)"/.exec(html)?.[1];
    const total = /name="total" value="(\d+)"/.exec(html)?.[1];
    if (!csrf || after === undefined) return;
    const res = await fetch(`${server.baseUrl}/admin/reconcile`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl, Cookie: cookie },
      body: new URLSearchParams({ _csrf: csrf, after, total: total ?? "0" }),
    });
    html = await res.text();
  }
}

/** Every recommendation D1 lists has its object, and the queue's step is the object's. */
async function disagreements(server: DevServer): Promise<number> {
  const owner = addStaff(server.stateDir, "coordinator", "reliability");
  const token = createToken(server.stateDir, owner.email, ["export"], "reliability");
  const auth = { Authorization: `Bearer ${token}` };
  const lines = (
    await (await fetch(`${server.baseUrl}/api/v1/exports/recommendations.ndjson`, { headers: auth })).text()
  )
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; step: string });
  let bad = 0;
  for (const rec of lines) {
    const events = (await (
      await fetch(`${server.baseUrl}/api/v1/recommendations/${rec.id}/events`, { headers: auth })
    ).json()) as {
      to: string;
    }[];
    if (!Array.isArray(events) || events.length === 0 || events.at(-1)?.to !== rec.step) bad++;
  }
  console.log(`recommendations in D1: ${lines.length}; without an object or out of step: ${bad}`);
  return bad;
}

let server = await startDevServer({ quiet: true });
const stateDir = server.stateDir;
try {
  const first = await burst(server, 0, BURST);
  console.log(`burst 1: submitted ${BURST}, acknowledged ${first.acks.length}`);
  check(
    first.statuses.every((s) => s > 0 && s < 500),
    "burst 1: no 5xx and no dropped connection",
  );
  check(first.acks.length === BURST, "burst 1: every submission acknowledged");
  check((await unresolved(server, first.acks)).length === 0, "burst 1: every receipt resolves");

  // Burst 2: the runtime is killed once a quarter of it has been acknowledged.
  let crashed = false;
  const second = await burst(server, BURST, BURST, (n) => {
    if (!crashed && n >= BURST / 4) {
      crashed = true;
      server.crash();
    }
  });
  console.log(`burst 2: submitted ${BURST}, acknowledged before the kill ${second.acks.length}`);
  check(crashed, "burst 2: the runtime was killed mid-burst");

  server = await startDevServer({ quiet: true, stateDir });
  await reconcile(server);
  const lost = await unresolved(server, [...first.acks, ...second.acks]);
  console.log(
    `after the crash: acknowledged ${first.acks.length + second.acks.length}, found ${first.acks.length + second.acks.length - lost.length}`,
  );
  check(lost.length === 0, "every acknowledged submission resolves after the crash");
  check((await disagreements(server)) === 0, "after reconciliation, every D1 row has its object, in the same step");
} finally {
  server.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
