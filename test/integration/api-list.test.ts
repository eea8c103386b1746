import { beforeAll, describe, expect, it } from "vitest";
import type { CountryCode } from "../../worker/domain/countries.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";

interface Page {
  items: Record<string, any>[];
  next_cursor: string | null;
}

async function submit(targetName: string, country: CountryCode = "UA"): Promise<string> {
  const rec = sampleRecommendation({ targetName });
  rec.conduct.country = country;
  const res = await postJson("/api/v1/recommendations", rec);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function list(query: string, token?: string): Promise<Response> {
  return call(`/api/v1/recommendations${query}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
}

describe("GET /api/v1/recommendations", () => {
  let exportToken: string;
  beforeAll(async () => {
    exportToken = await createToken(["export"]);
  });

  it("names the assignee by email, as people know each other", async () => {
    const id = await submit("Assigned Target");
    const reviewer = await staffSession("reviewer");
    const assigned = await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "assign", expected_step: "received", assignee: reviewer.email },
      { Cookie: reviewer.cookie },
    );
    expect(assigned.status).toBe(200);
    const page = (await (await list("?limit=500", exportToken)).json()) as Page;
    expect(page.items.find((i) => i.id === id)?.assignee).toBe(reviewer.email);
  });

  it("refuses a request without a token: 401 in the error shape", async () => {
    const res = await list("");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("refuses unknown, expired and revoked tokens with 401", async () => {
    const expired = await createToken(["export"], { expiresAt: "2020-01-01T00:00:00.000Z" });
    const revoked = await createToken(["export"], { revokedAt: new Date().toISOString() });
    for (const token of ["dos_notarealtoken", expired, revoked]) {
      expect((await list("", token)).status).toBe(401);
    }
  });

  it("refuses a token without the export scope with 403", async () => {
    const res = await list("", await createToken(["review"]));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  });

  it("lists a submitted recommendation, without contact fields for an export-only token", async () => {
    const id = await submit("Listed Target");
    const page = (await (await list("?limit=500", exportToken)).json()) as Page;
    const item = page.items.find((i) => i.id === id);
    expect(item).toMatchObject({
      id,
      step: "received",
      schema_version: 2,
      targets: [expect.objectContaining({ name: "Listed Target", kind: "person" })],
      submitter: { organization: "Centre for Civil Liberties", country: "UA" },
    });
    expect(item?.submitter).not.toHaveProperty("contact_email");
    expect(item?.safety).not.toHaveProperty("notes");
    expect(JSON.stringify(page)).not.toContain("olena@example.org");
  });

  it("shows the contact fields to a token with the contact scope", async () => {
    const id = await submit("Contact Target");
    const res = await call(`/api/v1/recommendations/${id}`, {
      headers: { Authorization: `Bearer ${await createToken(["export", "contact"])}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.submitter).toMatchObject({ contact_name: "Olena Kovalenko", contact_email: "olena@example.org" });
    expect(body.safety.notes).toBe("Witnesses must not be contacted directly");
  });

  it("filters by the country where the conduct happened", async () => {
    const id = await submit("Filtered Target", "BY");
    const page = (await (await list("?country=BY", exportToken)).json()) as Page;
    expect(page.items.map((i) => i.id)).toContain(id);
    expect(page.items.every((i) => i.conduct.country === "BY")).toBe(true);
  });

  it("pages with a cursor, each recommendation exactly once even when more arrive between pages", async () => {
    for (let i = 0; i < 5; i++) await submit(`Paged ${i}`, "SY");
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const res = await list(`?country=SY&limit=2${cursor ? `&cursor=${cursor}` : ""}`, exportToken);
      const page = (await res.json()) as Page;
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
      if (added < 2) {
        await submit(`Paged late ${added}`, "SY");
        added++;
      }
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it("answers 404 for an unknown id and 422 for a bad filter", async () => {
    expect(
      (await call("/api/v1/recommendations/nope", { headers: { Authorization: `Bearer ${exportToken}` } })).status,
    ).toBe(404);
    const res = await list("?limit=9999", exportToken);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(["limit"]);
  });
});
