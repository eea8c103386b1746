import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server.ts";
import { FILE_PART } from "../../worker/domain/backup.ts";
import { npmOn, queryState } from "../helpers/local-state.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

/**
 * `npm run backup` and `npm run restore` as an operator runs them: a local
 * Dossier with files and a review under way is backed up, its state
 * deleted, restored from the archive, and every recommendation's log, content
 * and files verify as before; then what a restore must refuse.
 */
const dir = mkdtempSync(join(tmpdir(), "dossier-backup-"));
const state = join(dir, "state");
const archive = join(dir, "all.dossier");
/** Servers still running when a test fails midway are stopped, not left behind. */
const running = new Set<DevServer>();
afterAll(async () => {
  for (const server of running) await stopped(server);
  rmSync(dir, { recursive: true, force: true });
});

async function started(): Promise<DevServer> {
  const server = await startDevServer({ quiet: true, stateDir: state, env: { DOSSIER_LOCAL_CRON: "off" } });
  running.add(server);
  return server;
}

const run = (script: string, args: string[]) => npmOn(state, script, args);
/** The full-text index, read as a table: restored with its row ids (each a recommendation's seq). */
const searchIndex = () => queryState(state, "SELECT rowid, rec_seq, names FROM search_index ORDER BY rowid");

function ok(script: string, args: string[]): string {
  const result = run(script, args);
  expect(result.status, result.stderr + result.stdout).toBe(0);
  return result.stdout;
}

async function stopped(server: DevServer): Promise<void> {
  running.delete(server);
  const exited = new Promise((resolve) => server.process.once("exit", resolve));
  server.stop();
  await exited;
}

function pdf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) bytes.writeUInt32LE(((i + seed) * 2654435761) >>> 0, i);
  bytes.write("%PDF-1.7\n", 0);
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** What a coordinator's token reads of one recommendation: its log, its verification, its files' bytes by hash. */
async function seen(base: string, token: string, id: string) {
  const get = (path: string) => fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const res = await get(`/recommendations/${id}`);
  expect(res.status, await res.clone().text()).toBe(200);
  const record = (await res.json()) as { attachments: string[] };
  const files: string[] = [];
  for (const file of record.attachments) {
    const res = await get(`/recommendations/${id}/attachments/${file}?variant=original`);
    expect(res.status).toBe(200);
    files.push(sha256(new Uint8Array(await res.arrayBuffer())));
  }
  return {
    record,
    events: await (await get(`/recommendations/${id}/events`)).json(),
    verification: await (await get(`/recommendations/${id}/verification`)).json(),
    files: files.sort(),
  };
}

describe("npm run backup and npm run restore", () => {
  const uploaded = [pdf(200 * 1024, 1), pdf(FILE_PART + 3 * 1024 * 1024, 2)];
  let token = "";
  let ids: string[] = [];
  let before: Awaited<ReturnType<typeof seen>>[] = [];

  it("backs up a Dossier with files and a review under way, and restores it into a wiped state where everything verifies", async () => {
    let server = await started();
    ok("staff", ["add", "--email", "coord@example.org", "--role", "coordinator"]);
    token = ok("token", [
      "create",
      "--owner",
      "coord@example.org",
      "--name",
      "t",
      "--scopes",
      "export,contact,originals,review",
    ])
      .trim()
      .split("\n")
      .at(-1) as string;
    const client = (n: number) => ({ "CF-Connecting-IP": `backup-test-${n}` });
    const uploads: string[] = [];
    for (const [i, bytes] of uploaded.entries()) {
      const created = await fetch(`${server.baseUrl}/uploads`, {
        method: "POST",
        headers: {
          ...client(i),
          "Tus-Resumable": "1.0.0",
          "Upload-Length": String(bytes.length),
          "Upload-Metadata": `filename ${Buffer.from(`evidence-${i}.pdf`).toString("base64")}`,
        },
      });
      expect(created.status).toBe(201);
      const location = new URL(created.headers.get("Location") as string, server.baseUrl);
      const patched = await fetch(location, {
        method: "PATCH",
        headers: {
          ...client(i),
          "Tus-Resumable": "1.0.0",
          "Upload-Offset": "0",
          "Content-Type": "application/offset+octet-stream",
        },
        body: new Uint8Array(bytes),
      });
      expect(patched.status).toBe(204);
      uploads.push(location.pathname.split("/").pop() as string);
    }
    const submit = async (name: string, attachments: string[], n: number) => {
      const res = await fetch(`${server.baseUrl}/api/v1/recommendations`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...client(10 + n) },
        body: JSON.stringify({ ...sampleRecommendation({ targetName: name }), attachments }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; receipt: string };
    };
    const walked = await submit("Walked Through Review", uploads, 1);
    const withdrawn = await submit("Withdrawn And Erasing", [], 2);
    ids = [walked.id, withdrawn.id];
    const act = async (body: object) => {
      const res = await fetch(`${server.baseUrl}/api/v1/recommendations/${walked.id}/actions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    await act({ action: "advance", expected_step: "received" });
    await act({ action: "comment", expected_step: "triage", comment: "Two witnesses; check the second file." });
    await act({ action: "advance", expected_step: "triage" });
    await act({ action: "request_changes", expected_step: "legal_review", comment: "Which unit was it?" });
    const status = (path: string, body: object) =>
      fetch(`${server.baseUrl}/api/v1/status${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...client(20) },
        body: JSON.stringify(body),
      });
    expect((await status("/respond", { receipt: walked.receipt, message: "The 5th brigade." })).status).toBe(200);
    expect((await status("/withdraw", { receipt: withdrawn.receipt })).status).toBe(200);
    expect((await status("/erase", { receipt: withdrawn.receipt })).status).toBe(200);
    before = await Promise.all(ids.map((id) => seen(server.baseUrl, token, id)));
    expect(before[0]?.files).toEqual(uploaded.map(sha256).sort());
    expect(before[0]?.verification).toMatchObject({ verified: true });
    // Screening indexes both for the queue's search, once the Cron Trigger's run has put them on its queue.
    expect((await fetch(`${server.baseUrl}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`)).ok).toBe(true);
    await expect.poll(() => searchIndex().length, { timeout: 30_000 }).toBe(2);
    const indexed = searchIndex();
    await stopped(server);

    const backedUp = ok("backup", ["--out", archive]);
    expect(backedUp).toMatch(/Backed up 2 files \(\d+ bytes\), \d+ rows of \d+ tables and 2 recommendation objects/);
    // Nothing in clear: not a name, not a contact detail, not a file's bytes.
    const bytes = readFileSync(archive);
    for (const clear of ["Walked Through Review", "olena@example.org", "The 5th brigade", "%PDF"]) {
      expect(bytes.includes(Buffer.from(clear))).toBe(false);
    }

    rmSync(state, { recursive: true, force: true });
    const restored = ok("restore", [archive]);
    expect(restored).toContain("Restored 2 files");
    expect(restored).not.toContain("there already");

    expect(searchIndex()).toEqual(indexed);
    // The names' trigram index is not in the archive: the restored rows rebuilt it, once each.
    const names = (part: string) =>
      queryState(state, `SELECT rowid FROM recommendation_names WHERE recommendation_names MATCH '"${part}"'`);
    expect(names("alked Throu")).toHaveLength(1);
    expect(names("hdrawn And")).toHaveLength(1);
    server = await started();
    const after = await Promise.all(ids.map((id) => seen(server.baseUrl, token, id)));
    expect(after).toEqual(before);
    for (const one of after) {
      expect(one.verification).toMatchObject({ verified: true, problems: [] });
    }
    expect(after[0]?.verification).toMatchObject({ checked: expect.arrayContaining(["files"]) });
    // The submitter's receipt still opens their status page, with its planned erasure.
    const again = await status("", { receipt: withdrawn.receipt });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ step: "withdrawn", erasure: { state: "planned" } });
    await stopped(server);
  });

  it("refuses a state that holds data, and says so before touching it", () => {
    const again = run("restore", [archive]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain("The target is not empty");
  });

  it("refuses an archive changed in one byte, cut short, or read with the wrong passphrase, before writing anything", () => {
    const bytes = readFileSync(archive);
    const changed = Buffer.from(bytes);
    changed[Math.floor(bytes.length / 2)] ^= 1;
    writeFileSync(join(dir, "changed.dossier"), changed);
    writeFileSync(join(dir, "short.dossier"), bytes.subarray(0, bytes.length - 40));
    const refusal = (file: string, extra: string[] = []) => {
      const result = run("restore", [join(dir, file), ...extra]);
      expect(result.status).not.toBe(0);
      return result.stderr;
    };
    expect(refusal("changed.dossier")).toMatch(/record \d+ of the backup was changed or is damaged/);
    expect(refusal("short.dossier")).toContain("cut short");
    expect(refusal("all.dossier", ["--passphrase", "not the one it was made with"])).toContain(
      "encrypted with DATA_KEY, not a passphrase",
    );
  });
});
