import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listQueue } from "../../worker/db/recommendations.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, postForm, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { staffSession } from "../helpers/staff.ts";
import { type Created, openedObject, screened } from "../helpers/submit.ts";

/** A recommendation on a target of its own name, at a given risk. */
async function submit(name: string, risk: "low" | "medium" | "high"): Promise<Created> {
  const sample = sampleRecommendation({ targetName: name });
  const res = await postJson("/api/v1/recommendations", { ...sample, safety: { ...sample.safety, risk_level: risk } });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Created;
  await screened(created.id);
  await openedObject(created.id);
  return created;
}

/** The queue's rows as they stand on the page: reference, risk and marks, in order. */
function rowsOf(html: string) {
  const table = html.slice(html.indexOf('data-testid="queue"'));
  return [...table.matchAll(/<tr data-id="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map(([, id, row]) => ({
    id,
    risk: /data-risk="(\w+)"/.exec(row ?? "")?.[1],
    marks: [...(row ?? "").matchAll(/data-mark="(\w+)"/g)].map((m) => m[1]),
    assignMe: (row ?? "").includes('name="only"'),
  }));
}

describe("the queue reviewers work", () => {
  it("sorts by risk (highest first, then the other way) and by age, and says how many there are", async () => {
    const reviewer = await staffSession("reviewer");
    const tag = crypto.randomUUID().slice(0, 8);
    const low = await submit(`Risk Low ${tag}`, "low");
    const high = await submit(`Risk High ${tag}`, "high");
    const medium = await submit(`Risk Medium ${tag}`, "medium");
    const page = async (query: string) =>
      (await call(`/review?q=${tag}${query}`, { headers: { Cookie: reviewer.cookie } })).text();

    const byRisk = rowsOf(await page("&sort=risk"));
    expect(byRisk.map((r) => r.id)).toEqual([high.id, medium.id, low.id]);
    expect(byRisk.map((r) => r.risk)).toEqual(["high", "medium", "low"]);
    expect(rowsOf(await page("&sort=risk&dir=asc")).map((r) => r.id)).toEqual([low.id, medium.id, high.id]);
    // Age: the one that has waited longest first.
    expect(rowsOf(await page("&sort=age")).map((r) => r.id)).toEqual([low.id, high.id, medium.id]);

    const html = await page("");
    expect(html).toContain("3 recommendations · page 1 of 1");
    // Sort links keep the filters and name the sort.
    expect(html).toContain(`href="/review?q=${tag}&amp;sort=risk&amp;dir=desc"`);
  });

  it("marks what the submitter replied to and what is new for this person", async () => {
    const reviewer = await staffSession("reviewer");
    const tag = crypto.randomUUID().slice(0, 8);
    const rec = await submit(`Replied ${tag}`, "medium");
    await postJson("/api/v1/status/message", { receipt: rec.receipt, message: "One more thing." });
    // Both marks arrive off the request (the projection, the notifications queue).
    let marks: (string | undefined)[] = [];
    for (let i = 0; i < 300 && !(marks.includes("replied") && marks.includes("new")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const html = await (await call(`/review?q=${tag}`, { headers: { Cookie: reviewer.cookie } })).text();
      marks = rowsOf(html)[0]?.marks ?? [];
    }
    expect(marks).toContain("replied");
    expect(marks).toContain("new");
    // Opening it reads it: no longer new for this person.
    await call(`/review/${rec.id}`, { headers: { Cookie: reviewer.cookie } });
    const after = await (await call(`/review?q=${tag}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(rowsOf(after)[0]?.marks).not.toContain("new");
  });

  it("assigns the ticked rows at once, and one row to me, each an assign event", async () => {
    const coordinator = await staffSession("coordinator");
    const reviewer = await staffSession("reviewer");
    const tag = crypto.randomUUID().slice(0, 8);
    const a = await submit(`Bulk A ${tag}`, "low");
    const b = await submit(`Bulk B ${tag}`, "low");
    const c = await submit(`Bulk C ${tag}`, "low");
    const back = `/review?q=${tag}`;

    const bulk = await call("/review/assign", {
      method: "POST",
      headers: {
        Cookie: coordinator.cookie,
        Origin: "https://dossier.test",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams([
        ["_csrf", coordinator.csrf],
        ["back", back],
        ["assignee", reviewer.id],
        ["ids", a.id],
        ["ids", b.id],
      ]),
    });
    expect(bulk.status).toBe(303);
    expect(bulk.headers.get("Location")).toBe(`${back}&assigned=2&refused=0`);
    for (const id of [a.id, b.id]) expect((await recommendationObject(env, id).state())?.assignee).toBe(reviewer.id);
    expect((await recommendationObject(env, c.id).state())?.assignee).toBeNull();

    const page = await (await call(`${back}&assigned=2&refused=0`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain("Assigned 2 recommendations.");
    expect(rowsOf(page).find((r) => r.id === c.id)?.assignMe).toBe(true);

    const mine = await postForm(
      "/review/assign",
      { _csrf: reviewer.csrf, back, only: c.id },
      { Cookie: reviewer.cookie },
    );
    expect(mine.status).toBe(303);
    expect((await recommendationObject(env, c.id).state())?.assignee).toBe(reviewer.id);
    const events = await recommendationObject(env, c.id).events();
    expect(events.at(-1)).toMatchObject({ action: "assign", actor: reviewer.email });
  });

  it("pages with first, previous and next, and counts the pages", async () => {
    const reviewer = await staffSession("reviewer");
    const html = await (await call("/review?page=2", { headers: { Cookie: reviewer.cookie } })).text();
    expect(html).toMatch(/Page 2 of \d+/);
    expect(html).toContain('href="/review"');
  });
});

describe("the queue's query", () => {
  it("reads the marking matches from their own small index, never every match", async () => {
    const query = listQueue(env.DB, {}, 0, 51, { by: "updated", dir: "desc" }, "someone").toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    const details = plan.results.map((row) => row.detail);
    expect(details.some((d) => d.includes("matches_marked"))).toBe(true);
    // Every other read of matches goes by a recommendation's id, none through the whole table.
    expect(details.filter((d) => /SCAN m\b/.test(d) && !d.includes("INDEX"))).toEqual([]);
  });
});
