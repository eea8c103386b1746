import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIFETIMES, type Store } from "../../worker/domain/lifetimes.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { uploadObject } from "../../worker/durable/upload.ts";
import { cleanKey, originalKey } from "../../worker/files/evidence.ts";
import { ABSOLUTE_HOURS, IDLE_MINUTES } from "../../worker/security/session.ts";
import { packetKey } from "../../worker/services/filings.ts";
import { READ_INBOX_TTL_MS, sweep } from "../../worker/services/housekeeping.ts";
import { jpegWithGps, pdfBytes } from "../helpers/files.ts";
import { call } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, createToken } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";
import { createUpload, patch, uploadAll } from "../helpers/tus.ts";

const named = (store: Store) =>
  LIFETIMES.filter((l) => l.store === store)
    .map((l) => l.name)
    .sort();

/** The tables of a SQLite database, without SQLite's, the runtime's and full-text search's own. */
const TABLES = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'
  AND name NOT LIKE 'd1_%' AND name NOT GLOB 'search_index_*' AND name NOT GLOB 'recommendation_names_*' ORDER BY name`;

describe("every kind of stored data has a stated lifetime", () => {
  it("in D1: each table, and nothing stated that is no table", async () => {
    const tables = (await env.DB.prepare(TABLES).all<{ name: string }>()).results.map((r) => r.name);
    expect(tables).toEqual(named("D1"));
  });

  it("in the objects' own storage: the recommendation's and the upload's tables", async () => {
    const { id } = await submitSample("Lifetime Object");
    const upload = await uploadAll(pdfBytes(2000, 3), "lifetime.pdf");
    const tablesOf = (stub: DurableObjectStub) =>
      runInDurableObject(stub, async (_instance, state) =>
        state.storage.sql
          .exec<{ name: string }>(TABLES)
          .toArray()
          .map((r) => r.name),
      );
    expect(await tablesOf(recommendationObject(env, id))).toEqual(named("Recommendation object"));
    expect(await tablesOf(uploadObject(env, upload))).toEqual(named("Upload object"));
  });

  it("in R2: every key is under a stated prefix (originals, clean copies, upload tails, filed documents)", async () => {
    await uploadAll(jpegWithGps(), "lifetime.jpg");
    // An upload cut after its first bytes keeps them as its pending tail.
    const cut = await createUpload(100_000, "cut.pdf");
    expect((await patch(cut, 0, pdfBytes(100_000, 9).slice(0, 30_000))).status).toBe(204);
    const prefixes = named("R2");
    const keys = (await env.FILES.list()).objects.map((o) => o.key);
    expect(keys.some((k) => k.startsWith("pending/"))).toBe(true);
    expect(keys.some((k) => k.startsWith("clean/"))).toBe(true);
    for (const key of [...keys, originalKey("x"), cleanKey("x"), packetKey("r", "f")]) {
      expect(
        prefixes.some((p) => key.startsWith(p)),
        key,
      ).toBe(true);
    }
  });
});

describe("the audit log", () => {
  it("keeps who read what, never a sealed value, even of an export with contact details", async () => {
    const { id } = await submitSample("Lifetime Audit");
    const token = await createToken(["export", "contact", "originals"]);
    const headers = { Authorization: `Bearer ${token}` };
    const csv = await (await call("/api/v1/exports/recommendations.csv?bom=0", { headers })).text();
    const sample = sampleRecommendation();
    // The export carries them (so the check below could fail)...
    expect(csv).toContain(sample.submitter.contact_email);
    await (await call(`/api/v1/recommendations/${id}/packet.zip?variant=original`, { headers })).arrayBuffer();
    const audit = await env.DB.prepare("SELECT * FROM audit").all();
    expect(audit.results.length).toBeGreaterThanOrEqual(2);
    // ...the log of it does not.
    const logged = JSON.stringify(audit.results);
    for (const secret of [sample.submitter.contact_email, sample.submitter.contact_name, sample.safety.notes]) {
      expect(logged).not.toContain(secret);
    }
  });
});

describe("the Cron Trigger's sweep", () => {
  it("deletes sessions past their idle or absolute limit, and keeps live ones", async () => {
    const member = await createStaff("reviewer");
    const now = Date.now();
    const iso = (ms: number) => new Date(now - ms).toISOString();
    // [name, began, last seen]
    for (const [name, createdAt, lastSeenAt] of [
      ["live", iso(60_000), iso(60_000)],
      ["idle", iso(IDLE_MINUTES * 60_000 + 120_000), iso(IDLE_MINUTES * 60_000 + 60_000)],
      ["old", iso(ABSOLUTE_HOURS * 3_600_000 + 60_000), iso(60_000)],
    ]) {
      await env.DB.prepare("INSERT INTO sessions (id_hash, staff_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)")
        .bind(`lifetime-${name}`, member.id, createdAt, lastSeenAt)
        .run();
    }
    await sweep(env, new Date(now));
    const left = await env.DB.prepare("SELECT id_hash FROM sessions WHERE id_hash LIKE 'lifetime-%'").all<{
      id_hash: string;
    }>();
    expect(left.results.map((r) => r.id_hash)).toEqual(["lifetime-live"]);
  });

  it("deletes inbox items read more than 30 days ago, and keeps unread and recently read ones", async () => {
    const member = await createStaff("reviewer");
    const now = Date.now();
    const iso = (ms: number) => new Date(now - ms).toISOString();
    for (const [kind, readAt] of [
      ["unread", null],
      ["recent", iso(READ_INBOX_TTL_MS - 60_000)],
      ["old", iso(READ_INBOX_TTL_MS + 60_000)],
    ] as const) {
      await env.DB.prepare(
        "INSERT INTO inbox (staff_id, rec_id, kind, event_seq, at, read_at) VALUES (?, 'r', ?, 1, ?, ?)",
      )
        .bind(member.id, kind, iso(READ_INBOX_TTL_MS * 2), readAt)
        .run();
    }
    await sweep(env, new Date(now));
    const left = await env.DB.prepare("SELECT kind FROM inbox WHERE staff_id = ? ORDER BY kind")
      .bind(member.id)
      .all<{ kind: string }>();
    expect(left.results.map((r) => r.kind)).toEqual(["recent", "unread"]);
  });
});
