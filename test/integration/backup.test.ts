import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../worker/domain/audit.ts";
import { BACKUP_PATH } from "../../worker/domain/backup.ts";
import type { ObjectBackup } from "../../worker/durable/recommendation.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, createToken, staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";

/** The routes `npm run backup` and `npm run restore` use (the commands themselves: test/cli/backup.test.ts). */
const backupToken = await createToken(["backup"], { ownerId: null });
const adminsToken = await createToken(["backup"], { ownerId: (await createStaff("admin")).id });
const coordinatorsToken = await createToken(["backup", "review"]);
const exportToken = await createToken(["export"]);

function backup(path: string, init: RequestInit = {}, token = backupToken) {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  if (init.body) headers.set("Content-Type", "application/json");
  return call(`${BACKUP_PATH}${path}`, { ...init, headers });
}

async function submitted(name: string): Promise<string> {
  const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: name }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function advanced(id: string, from: string) {
  const res = await postJson(
    `/api/v1/recommendations/${id}/actions`,
    { action: "advance", expected_step: from },
    { Authorization: `Bearer ${coordinatorsToken}` },
  );
  expect(res.status).toBe(200);
}

describe("the backup's routes", () => {
  it("answer only the commands' own token: the backup scope and no owner", async () => {
    expect((await backup("", {}, backupToken)).status).toBe(200);
    // Even an admin's token that names the scope: it could write into a live Dossier.
    expect((await backup("", {}, adminsToken)).status).toBe(403);
    expect((await backup("", {}, coordinatorsToken)).status).toBe(403);
    expect((await backup("", {}, exportToken)).status).toBe(403);
    const admin = await staffSession("admin");
    const signedIn = await call(BACKUP_PATH, { headers: { Cookie: admin.cookie } });
    expect(signedIn.status).toBe(401);
    expect(await signedIn.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("describe the schema and every data table, leaving the asking token out of what they read", async () => {
    const here = (await (await backup("")).json()) as {
      migrations: string[];
      tables: { name: string; virtual: boolean; rows: number }[];
      data_key: string;
    };
    // Every migration applied, by name, in order (the restore refuses a target whose list differs).
    expect(here.migrations).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    const names = here.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["recommendations", "queue", "attachments", "audit", "search_index"]));
    // Restored in this order, a row never waits for the row it refers to.
    expect(names.indexOf("staff")).toBeLessThan(names.indexOf("api_tokens"));
    expect(names.indexOf("recommendations")).toBeLessThan(names.indexOf("attachments"));
    expect(here.tables.find((t) => t.name === "search_index")?.virtual).toBe(true);
    // D1's bookkeeping and the full-text index's own tables are not data; nor is the names'
    // trigram index, whose content is the recommendations' (restoring them rebuilds it).
    expect(names.some((n) => /^(d1_migrations|_cf_|sqlite_)|^search_index_|^recommendation_names/.test(n))).toBe(false);

    const tokens = (await (await backup("/tables/api_tokens")).json()) as { columns: string[]; rows: unknown[][] };
    const hashColumn = tokens.columns.indexOf("token_hash") + 1;
    const rows = await env.DB.prepare("SELECT token_hash FROM api_tokens").all<{ token_hash: string }>();
    expect(tokens.rows.length).toBe(rows.results.length - 1);
    const { secretHash } = await import("../../worker/security/secrets.ts");
    expect(tokens.rows.map((r) => r[hashColumn])).not.toContain(await secretHash(backupToken));
  });

  it("keep a row already there when a restore sends it again, and say how many were", async () => {
    const id = await submitted("Row Sent Twice");
    const page = (await (await backup("/tables/recommendations?after=0")).json()) as {
      columns: string[];
      rows: unknown[][];
    };
    const row = page.rows.find((r) => r.includes(id));
    const res = await backup("/tables/recommendations", {
      method: "POST",
      body: JSON.stringify({ columns: page.columns, rows: [row] }),
    });
    expect(await res.json()).toEqual({ inserted: 0 });
    const other = await backup("/tables/recommendations", {
      method: "POST",
      body: JSON.stringify({ columns: page.columns.slice(1), rows: [row] }),
    });
    expect(other.status).toBe(409);
  });

  it("restore an object only where its history is empty or the beginning of the same, and only a log that verifies", async () => {
    const id = await submitted("Object Restored Twice");
    await advanced(id, "received");
    const held = (await (await backup(`/recommendations/${id}`)).json()) as ObjectBackup;
    expect(held.events.map((e) => e.action)).toEqual(["submit", "advance"]);
    expect(held.state.step).toBe("triage");

    // The same history again (a restore run twice) changes nothing.
    const put = (into: string, body: unknown) =>
      backup(`/recommendations/${into}`, { method: "PUT", body: JSON.stringify(body) });
    expect((await put(id, held)).status).toBe(204);

    // Into a new object: all of it, and the object's log verifies.
    const fresh = crypto.randomUUID();
    expect((await put(fresh, held)).status).toBe(204);
    expect(((await (await backup(`/recommendations/${fresh}`)).json()) as ObjectBackup).events).toEqual(held.events);

    // Another history, or a log changed after the fact: refused.
    const other = await submitted("Another History");
    await openedObject(other);
    expect((await put(other, held)).status).toBe(409);
    const changed = structuredClone(held);
    (changed.events[1] as { comment: string | null }).comment = "added later";
    const broken = await put(crypto.randomUUID(), changed);
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toContain("breaks at event 2");
  });

  it("record each backup and restore in the audit log, by the token's name", async () => {
    const res = await backup("/done", {
      method: "POST",
      body: JSON.stringify({ action: "backup", counts: { files: 1, rows: 2, objects: 3 } }),
    });
    expect(res.status).toBe(204);
    const last = await env.DB.prepare("SELECT * FROM audit ORDER BY seq DESC LIMIT 1").first<AuditEntry>();
    expect(last).toMatchObject({ action: "backup", subject: "everything" });
    expect(last?.actor).toMatch(/^token test-/);
    expect(JSON.parse(String(last?.details))).toEqual({ files: 1, rows: 2, objects: 3 });
  });
});
