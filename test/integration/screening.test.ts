/// <reference types="vite/client" />
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import app from "../../worker/app.tsx";
import { candidatesByKeys, OWNERS_PER_KEY } from "../../worker/db/screening.ts";
import type { FtmLine } from "../../worker/domain/lists.ts";
import worker from "../../worker/index.ts";
import { importList, listsScheduled, refreshLists, rescreenAfterImport } from "../../worker/services/lists.ts";
import { type ScreeningJob, screenLater, screenRecommendations } from "../../worker/services/screening.ts";
import fixture from "../fixtures/designations.ftm.ndjson?raw";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { screened } from "../helpers/submit.ts";

const LINES = fixture
  .trim()
  .split("\n")
  .map((l: string) => JSON.parse(l) as FtmLine);

interface Match {
  source: string;
  id: string;
  name: string;
  score: number;
  reasons: string[];
  datasets: string[];
  programs: string[];
  reference: string | null;
  target: number | null;
  decision?: string | null;
}

/** The app as in production, waiting for what it does after answering. */
async function send(path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", `screening-${crypto.randomUUID()}`);
  const res = await app.fetch(new Request(new URL(path, ORIGIN), { ...init, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A recommendation on `name` alone, as intake leaves it: not screened yet. */
async function submitUnscreened(
  name: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; reference: string }> {
  const rec = sampleRecommendation({ targetName: name });
  // Only the name: the sample's alias and passport would make every sample the same person.
  rec.target = {
    ...rec.target,
    name_latin: undefined,
    aliases: [],
    identifiers: [],
    nationalities: [],
    birth_date: undefined,
    ...extra,
  };
  const res = await send("/api/v1/recommendations", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(rec),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; reference: string };
}

/** The same, screened as the screening queue's consumer screens it. */
async function submitTarget(name: string, extra: Record<string, unknown> = {}) {
  const created = await submitUnscreened(name, extra);
  await screened(created.id);
  return created;
}

let token = "";
async function screen(body: Record<string, unknown>): Promise<Match[]> {
  const res = await postJson("/api/v1/screen", body, { Authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  return ((await res.json()) as { matches: Match[] }).matches;
}

async function matchesOf(id: string): Promise<{ screened: boolean; targets: { index: number; matches: Match[] }[] }> {
  const res = await send(`/api/v1/recommendations/${id}/matches`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  await importList(env, LINES, "designations.ftm.ndjson");
  // Any token may screen: this one may only review.
  token = await createToken(["review", "export"]);
});

describe("screening against the sanctions lists", () => {
  it("finds a listed person from another script, with the lists, the programmes and the reasons", async () => {
    const [top] = await screen({ name: "Рамзан Кадыров", birth_date: "1976", nationalities: ["RU"] });
    expect(top).toMatchObject({
      source: "list",
      id: "fx-kadyrov",
      name: "Ramzan Akhmatovich Kadyrov",
      datasets: ["us_ofac_sdn"],
      programs: ["US-GLOMAG"],
      reference: null,
    });
    expect(top?.score).toBeGreaterThanOrEqual(0.9);
    expect(top?.reasons).toContain("same birth date 1976-10-05");

    const chen = await screen({ name: "陈全国" });
    expect(chen[0]?.id).toBe("fx-chen-quanguo");
    const mingguo = await screen({ name: "Chen Mingguo", kind: "person" });
    expect(mingguo[0]?.id).toBe("fx-chen-mingguo");
    expect(mingguo[0]?.programs).toEqual(["EU-HR", "GB-HR"]);
    const qahtani = await screen({ name: "Saud al Qahtani" });
    expect(qahtani[0]?.id).toBe("fx-qahtani");
    expect(await screen({ name: "Nobody Anyone Fictional" })).toEqual([]);
  });

  it("refuses without a session or token, and names a missing name", async () => {
    expect((await postJson("/api/v1/screen", { name: "Chen Quanguo" })).status).toBe(401);
    const res = await postJson("/api/v1/screen", { aliases: ["x"] }, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('"path":"name"');
  });
});

describe("finding candidates among many", () => {
  it("reads a common key only so far, and still finds the owner that shares the rare ones", async () => {
    const bulk = Array.from({ length: OWNERS_PER_KEY + 50 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    await env.DB.batch([
      ...bulk.map((owner) =>
        env.DB.prepare("INSERT INTO name_keys (key, owner, source) VALUES ('p:COMMONX', ?, 'list')").bind(owner),
      ),
      ...["p:COMMONX", "p:RAREX1", "p:RAREX2", "p:RAREX3"].map((key) =>
        env.DB.prepare("INSERT INTO name_keys (key, owner, source) VALUES (?, 'zz-target', 'list')").bind(key),
      ),
    ]);
    const found = await candidatesByKeys(env.DB, ["p:COMMONX", "p:RAREX1", "p:RAREX2", "p:RAREX3"], 20);
    // Its common key lies past the bound (it sorts after every bulk owner), so three keys count, not four;
    // owners sharing only the common key are not candidates.
    expect(found).toEqual([{ owner: "zz-target", source: "list", hits: 3 }]);
    expect(await candidatesByKeys(env.DB, ["p:COMMONX"], 1000)).toHaveLength(OWNERS_PER_KEY);
  });
});

describe("screening at intake", () => {
  it("screens a new recommendation in the background, and links a later one on the same person both ways", async () => {
    const first = await submitTarget("Gulnara Karimova", { birth_date: "1972-07-08" });
    const one = await matchesOf(first.id);
    expect(one.screened).toBe(true);
    expect(one.targets[0]?.matches[0]).toMatchObject({ source: "list", id: "fx-karimova", decision: null });

    const second = await submitTarget("Гульнара Исламовна Каримова");
    const two = await matchesOf(second.id);
    const duplicate = two.targets[0]?.matches.find((m) => m.source === "recommendation");
    expect(duplicate).toMatchObject({ id: first.id, reference: first.reference, target: 0 });
    // The first recommendation learns of the second without being screened again.
    const back = (await matchesOf(first.id)).targets[0]?.matches.find((m) => m.source === "recommendation");
    expect(back).toMatchObject({ id: second.id, reference: second.reference, target: 0 });
    // A search by name finds the recommendations as well as the list entry.
    const found = await screen({ name: "Karimova Gulnara" });
    expect(found.map((m) => m.id)).toEqual(expect.arrayContaining(["fx-karimova", first.id, second.id]));

    // A reviewer says it is the same person: an event on both, the decision kept on both sides.
    const decide = (id: string, body: Record<string, unknown>, bearer = token) =>
      send(`/api/v1/recommendations/${id}/matches/decision`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${bearer}` },
        body: JSON.stringify(body),
      });
    const same = await decide(second.id, {
      target: 0,
      source: "recommendation",
      id: first.id,
      candidate_target: 0,
      decision: "same",
    });
    expect(same.status).toBe(200);
    for (const [id, other] of [
      [second.id, first.reference],
      [first.id, second.reference],
    ] as const) {
      const events = (await (
        await send(`/api/v1/recommendations/${id}/events`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as { action: string; comment: string; data: { linked?: unknown } | null }[];
      const link = events.find((e) => e.action === "link");
      expect(link?.comment).toContain(other);
      expect(link?.data?.linked).toMatchObject({ target: 0, source: "recommendation", other_target: 0 });
    }
    expect((await matchesOf(first.id)).targets[0]?.matches.find((m) => m.id === second.id)?.decision).toBe("same");

    // "Not the same" marks the list candidate; an unknown candidate is 404; a token that may not review, 403.
    const different = await decide(first.id, { target: 0, source: "list", id: "fx-karimova", decision: "different" });
    expect(different.status).toBe(200);
    expect((await matchesOf(first.id)).targets[0]?.matches.find((m) => m.id === "fx-karimova")?.decision).toBe(
      "different",
    );
    expect((await decide(first.id, { target: 0, source: "list", id: "fx-nobody", decision: "same" })).status).toBe(404);
    const exportOnly = await createToken(["export"]);
    expect(
      (await decide(first.id, { target: 0, source: "list", id: "fx-karimova", decision: "same" }, exportOnly)).status,
    ).toBe(403);
  });

  it("writes a possible duplicate once, shows and marks it from both sides, and keeps a decision when either is screened again", async () => {
    const reviewer = await staffSession("reviewer");
    const duplicates = async () => {
      const html = await (await call("/review?screening=duplicate", { headers: { Cookie: reviewer.cookie } })).text();
      return html.slice(html.indexOf('<table class="queue"'));
    };
    const first = await submitTarget("Onceonly Pairwise Zhelyabov");
    const second = await submitTarget("Zhelyabov Onceonly Pairwise");
    const rows = async () =>
      (
        await env.DB.prepare(
          "SELECT rec_id, decision FROM matches WHERE source = 'recommendation' AND (rec_id = ?1 AND candidate_id = ?2 OR rec_id = ?2 AND candidate_id = ?1)",
        )
          .bind(first.id, second.id)
          .all<{ rec_id: string; decision: string | null }>()
      ).results;
    // Written by the one screened second, and only there.
    expect(await rows()).toEqual([{ rec_id: second.id, decision: null }]);
    const back = (await matchesOf(first.id)).targets[0]?.matches.find((m) => m.source === "recommendation");
    expect(back).toMatchObject({ id: second.id, reference: second.reference, target: 0, decision: null });
    expect(back?.score).toBeGreaterThanOrEqual(0.8);
    expect(back?.name).toBe("Zhelyabov Onceonly Pairwise");
    const marked = await duplicates();
    expect(marked).toContain(first.reference);
    expect(marked).toContain(second.reference);

    // Decided from the side that did not write it; then that side is screened again and writes its own row.
    const decided = await postJson(
      `/api/v1/recommendations/${first.id}/matches/decision`,
      { target: 0, source: "recommendation", id: second.id, candidate_target: 0, decision: "different" },
      { Authorization: `Bearer ${token}` },
    );
    expect(decided.status).toBe(200);
    await screenRecommendations(env, [first.id]);
    expect(await rows()).toEqual(
      expect.arrayContaining([
        { rec_id: first.id, decision: "different" },
        { rec_id: second.id, decision: "different" },
      ]),
    );
    for (const [id, other] of [
      [first.id, second.id],
      [second.id, first.id],
    ] as const) {
      const shown = (await matchesOf(id)).targets[0]?.matches.filter((m) => m.id === other);
      expect(shown?.map((m) => m.decision)).toEqual(["different"]);
    }
    const unmarked = await duplicates();
    expect(unmarked).not.toContain(first.reference);
    expect(unmarked).not.toContain(second.reference);
  });

  it("screens again when a list changes: a new designation is found, one removed is forgotten", async () => {
    const rec = await submitTarget("Ivan Testovich Designee");
    expect((await matchesOf(rec.id)).targets[0]?.matches).toEqual([]);
    const designee: FtmLine = {
      id: "fx-later",
      schema: "Person",
      properties: { name: ["Ivan Testovich Designee"], alias: ["Иван Тестович Дезигни"] },
      datasets: ["gb_hmt_sanctions"],
    };
    await importList(env, [...LINES, designee], "with-later.ndjson");
    await listsScheduled(env);
    expect((await matchesOf(rec.id)).targets[0]?.matches[0]).toMatchObject({ id: "fx-later", source: "list" });

    await importList(env, LINES, "without-later.ndjson");
    await listsScheduled(env);
    expect((await matchesOf(rec.id)).targets[0]?.matches).toEqual([]);
  });

  it("follows a large import up a bounded batch at a time, picking up where it stopped", async () => {
    const names = ["Vesna Kralj Novak", "Idris Okonkwo Bello", "Sven Halvorsen Dahl"];
    const recs = [];
    for (const name of names) recs.push(await submitTarget(name));
    const lines: FtmLine[] = names.map((name, i) => ({
      id: `fx-batch-${i}`,
      schema: "Person",
      properties: { name: [name] },
      datasets: ["au_dfat_sanctions"],
    }));
    const id = await importList(env, [...LINES, ...lines], "batches.ndjson");
    let cursor: string | null = "";
    let found = 0;
    let batches = 0;
    while (cursor !== null) {
      const batch = await rescreenAfterImport(env, id, cursor, 2);
      expect(batch.done).toBeLessThanOrEqual(2);
      found += batch.found;
      cursor = batch.last;
      batches++;
    }
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(found).toBe(3);
    for (const [i, rec] of recs.entries()) {
      expect((await matchesOf(rec.id)).targets[0]?.matches[0]?.id).toBe(`fx-batch-${i}`);
    }
  });

  it("the queue's consumer screens a batch together: two filings on one person in one batch find each other", async () => {
    const one = await submitTarget("Batchmate Ogonyan Tervel");
    const two = await submitTarget("Батчмейт Огонян Тервел");
    // As if neither had been screened: no keys, no matches.
    for (const id of [one.id, two.id]) {
      await env.DB.batch([
        env.DB.prepare("DELETE FROM name_keys WHERE owner >= ? AND owner < ?").bind(`${id}:`, `${id};`),
        env.DB.prepare("DELETE FROM matches WHERE rec_id = ?").bind(id),
        env.DB.prepare("UPDATE recommendations SET screened_at = NULL WHERE id = ?").bind(id),
      ]);
    }
    const batch = createMessageBatch<ScreeningJob>("dossier-screening", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: { id: one.id } },
      { id: "m2", timestamp: new Date(), attempts: 1, body: { id: two.id } },
      { id: "m3", timestamp: new Date(), attempts: 1, body: { id: one.id } },
      { id: "m4", timestamp: new Date(), attempts: 1, body: { id: "no-such-recommendation" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect(result.retryBatch.retry).toBe(false);
    const [a, b] = [await matchesOf(one.id), await matchesOf(two.id)];
    expect(a.screened && b.screened).toBe(true);
    expect(a.targets[0]?.matches.find((m) => m.source === "recommendation")?.id).toBe(two.id);
    expect(b.targets[0]?.matches.find((m) => m.source === "recommendation")?.id).toBe(one.id);
  });

  it("leaves screening to the Cron Trigger, whose run puts what is not screened on the queue, for its consumer to screen", async () => {
    const rec = await submitUnscreened("Min Aung Hlaing");
    expect((await matchesOf(rec.id)).screened).toBe(false);
    await worker.scheduled?.(createScheduledController(), env);
    // The queue's consumer runs as it does in production: in its own invocation, soon after.
    await vi.waitUntil(async () => (await matchesOf(rec.id)).screened, { timeout: 5000, interval: 20 });
    expect((await matchesOf(rec.id)).targets[0]?.matches[0]?.id).toBe("fx-min-aung-hlaing");
  });

  it("screens a batch in the Cron Trigger's run itself when the queue refuses", async () => {
    const rec = await submitUnscreened("Ali Hamdan Ahmad Al-Khaburi");
    const refusing = {
      send: () => Promise.reject(new Error("queue unavailable")),
      sendBatch: () => Promise.reject(new Error("queue unavailable")),
    } as unknown as Queue;
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await screenLater({ ...env, SCREENING: refusing })).toBeGreaterThanOrEqual(1);
    } finally {
      errors.mockRestore();
    }
    expect((await matchesOf(rec.id)).screened).toBe(true);
  });
});

describe("reviewers act on screening in the staff pages", () => {
  it("marks and filters the queue, lists candidates on the detail page, and records 'same target' there", async () => {
    const reviewer = await staffSession("reviewer");
    const page = async (path: string) => (await call(path, { headers: { Cookie: reviewer.cookie } })).text();
    const listed = await submitTarget("Wang Junzheng", { nationalities: ["CN"] });
    const plain = await submitTarget("Someone Quite Unlisted Person");

    // The queue's table (the inbox above it lists every new recommendation, filtered or not).
    const whole = await page("/review?screening=listed");
    const queue = whole.slice(whole.indexOf('<table class="queue"'));
    expect(queue).toContain(listed.reference);
    expect(queue).not.toContain(plain.reference);
    // The mark names the countries whose lists hold the target.
    expect(queue).toMatch(/data-mark="listed">[^<]*already listed \(CA, EU, GB, US\)/);

    const detail = await page(`/review/${listed.id}`);
    expect(detail).toContain('data-candidate="list:fx-wang-junzheng"');
    expect(detail).toContain("EU-HR, GB-HR");
    expect(detail).toContain("names 100% alike");

    const form = new URLSearchParams({
      _csrf: reviewer.csrf,
      target: "0",
      candidate: "list:fx-wang-junzheng",
      decision: "same",
    });
    const decided = await call(`/review/${listed.id}/matches`, {
      method: "POST",
      headers: { Cookie: reviewer.cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: form.toString(),
    });
    expect(decided.status).toBe(303);
    const after = await page(`/review/${listed.id}`);
    expect(after).toContain('data-decision="same"');
    expect(after).toContain("Target 1 is Wang Junzheng, listed in");

    const forged = await call(`/review/${listed.id}/matches`, {
      method: "POST",
      headers: { Cookie: reviewer.cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: new URLSearchParams({ target: "0", candidate: "list:fx-wang-junzheng", decision: "different" }).toString(),
    });
    expect(forged.status).toBe(403);
  });
});

describe("the daily refresh from LISTS_URL", () => {
  it("loads the file at LISTS_URL once a day, without the network (the fetch is answered here)", async () => {
    const url = "https://lists.example.org/sanctions.ftm.json";
    const realFetch = globalThis.fetch;
    let fetched = 0;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      if (String(input instanceof Request ? input.url : input) !== url) return realFetch(input, init);
      fetched++;
      return new Response(fixture);
    });
    try {
      const withUrl = { ...env, LISTS_URL: url };
      expect(await refreshLists(withUrl)).toBeTruthy();
      expect(await refreshLists(withUrl)).toBeNull();
      expect(await refreshLists(withUrl, new Date(Date.now() + 25 * 3_600_000))).toBeTruthy();
      expect(fetched).toBe(2);
      expect(await refreshLists(env)).toBeNull();
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("the queue's search", () => {
  it("finds a target by any name in any script and case, a reference by any part, and words of the summary", async () => {
    const reviewer = await staffSession("reviewer");
    const search = async (q: string) =>
      (await call(`/review?q=${encodeURIComponent(q)}`, { headers: { Cookie: reviewer.cookie } })).text();
    const cyrillic = await submitTarget("Рамзан Кадыров", { aliases: ["Kadyrov the Younger"] });
    const latin = await submitTarget("Tamerlan Zakayev");
    const [year, number] = cyrillic.reference.split("-").slice(1) as [string, string];

    expect(await search("kadyrov")).toContain(cyrillic.reference);
    expect(await search("КАДЫРОВ")).toContain(cyrillic.reference);
    expect(await search("younger")).toContain(cyrillic.reference);
    expect(await search("zakayev")).toContain(latin.reference);
    expect(await search(number)).toContain(cyrillic.reference);
    expect(await search(`${year}-${number}`)).toContain(cyrillic.reference);
    // Words of the summary (the sample's), for every recommendation that says them.
    expect(await search("filtration")).toContain(latin.reference);
    // Nothing breaks on what FTS5 would read as syntax.
    expect(await search('"kadyrov OR* (')).toContain(cyrillic.reference);

    // Screened again (a correction, a list change): still one row, kept under the recommendation's seq.
    await screenRecommendations(env, [cyrillic.id]);
    await screenRecommendations(env, [cyrillic.id]);
    const rows = await env.DB.prepare(
      "SELECT s.rowid AS id, s.rec_seq FROM search_index s JOIN recommendations r ON r.seq = s.rec_seq WHERE r.id = ?",
    )
      .bind(cyrillic.id)
      .all<{ id: number; rec_seq: number }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]?.id).toBe(rows.results[0]?.rec_seq);
    expect(await search("kadyrov")).toContain(cyrillic.reference);
  });
});
