import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postForm, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";

const XSS = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;";

/** Every free-text field of the recommendation, holding the payload. */
function poisoned() {
  const rec = sampleRecommendation({ targetName: `${XSS} name` });
  rec.submitter.organization = `${XSS} org`;
  rec.submitter.contact_name = `${XSS} contact`;
  rec.submitter.partners = `${XSS} partners`;
  rec.target.name_latin = `${XSS} latin`;
  rec.target.aliases = [`${XSS} alias`];
  rec.target.birth_place = `${XSS} place`;
  rec.target.identifiers = [{ type: "other", number: `${XSS} number` }];
  rec.target.positions = [{ title: `${XSS} title`, organization: `${XSS} unit` }];
  rec.target.assets = `${XSS} assets`;
  rec.conduct.summary = `${XSS} summary that is long enough to pass the fifty character minimum`;
  rec.conduct.victims = `${XSS} victims`;
  rec.evidence.description = `${XSS} evidence`;
  rec.evidence.exculpatory = `${XSS} exculpatory`;
  rec.safety.notes = `${XSS} notes`;
  return rec;
}

function expectEscaped(html: string, where: string) {
  expect(html, where).not.toContain("<script>alert(1)");
  expect(html, where).not.toContain("<img src=x");
  expect(html, where).toContain(ESCAPED);
}

describe("escaping", () => {
  it("shows a payload in every text field as text on every page that shows it", async () => {
    const res = await postJson("/api/v1/recommendations", poisoned());
    const { id, receipt } = (await res.json()) as { id: string; receipt: string };
    const coordinator = await staffSession("coordinator");
    const detail = await (await call(`/review/${id}`, { headers: { Cookie: coordinator.cookie } })).text();
    for (const field of [
      "name",
      "org",
      "contact",
      "partners",
      "latin",
      "alias",
      "place",
      "number",
      "title",
      "unit",
      "assets",
      "summary",
      "victims",
      "evidence",
      "exculpatory",
      "notes",
    ]) {
      expect(detail, field).toContain(`${ESCAPED} ${field}`);
    }
    expectEscaped(detail, "detail");
    expectEscaped(
      await (
        await call(`/review?q=${encodeURIComponent("alert(1)")}`, { headers: { Cookie: coordinator.cookie } })
      ).text(),
      "queue",
    );
    await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "advance", expected_step: "received" },
      { Cookie: coordinator.cookie },
    );
    await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "request_changes", expected_step: "triage", comment: XSS },
      { Cookie: coordinator.cookie },
    );
    const status = await (await postForm("/ar/status", { receipt })).text();
    expectEscaped(status, "status");
  });

  it("keeps a payload escaped when the form comes back with errors", async () => {
    const rec = poisoned() as Record<string, any>;
    delete rec.conduct.country;
    const html = await (await postForm("/fr/recommendations", Object.fromEntries(toFormFields(rec)))).text();
    expectEscaped(html, "422 form");
  });
});

describe("refusing what should be refused", () => {
  it("refuses a JSON body over 1 MiB with 413 saying the limit, in the reader's language", async () => {
    const res = await call("/api/v1/recommendations", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": "ru" },
      body: JSON.stringify({ padding: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_large");
    expect(body.error.message).toBe(catalogues.ru["errors.body_too_large"].replace("{limit}", "1 MiB"));
  });

  it("answers a form over 30 MiB with 413: the same form, every value kept, naming the files to send later", async () => {
    const data = new FormData();
    data.append("target.name", "Kept across the refusal");
    data.append("attachments", new File([new Uint8Array(31 * 1024 * 1024)], "big.pdf"));
    data.append("safety.notes", "Typed after the file");
    const res = await call("/es/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('value="Kept across the refusal"');
    expect(html).toContain("Typed after the file");
    expect(html).toContain(
      catalogues.es["errors.files_not_taken"].replace("{limit}", "30 MiB").replace("{names}", "big.pdf (31 MiB)"),
    );
    // Nothing was stored: no recommendation, no file.
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM recommendations WHERE target_name = ?")
      .bind("Kept across the refusal")
      .first<number>("n");
    expect(stored).toBe(0);
  });

  it("refuses a form over 30 MiB elsewhere with a 413 page that says how to send the files later", async () => {
    const data = new FormData();
    data.append("attachments", new File([new Uint8Array(31 * 1024 * 1024)], "big.pdf"));
    const res = await call("/es/drafts/open", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain(catalogues.es["errors.body_too_large"].replace("{limit}", "30 MiB"));
    expect(html).toContain(catalogues.es["errors.body_too_large.help"].replace("{max}", "2 GiB"));
  });

  it("refuses cross-site posts to every form", async () => {
    const { id } = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as { id: string };
    const reviewer = await staffSession("reviewer");
    for (const path of [
      "/en/recommendations",
      "/en/status",
      "/login",
      "/logout",
      `/review/${id}/actions`,
      "/admin/reconcile",
    ]) {
      const res = await postForm(
        path,
        { receipt: "x", action: "advance", expected_step: "received" },
        {
          Origin: "https://attacker.example",
          Cookie: reviewer.cookie,
        },
      );
      expect(res.status, path).toBe(403);
    }
  });

  it("locks an account after 5 wrong passwords, even against the right one, with Retry-After", async () => {
    const { email, password } = await createStaff("coordinator");
    for (let i = 0; i < 5; i++) {
      expect((await postForm("/login", { email, password: `wrong-${i}` })).status).toBe(401);
    }
    const locked = await postForm("/login", { email, password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("limits submissions from one client", async () => {
    const one = { "CF-Connecting-IP": "198.51.100.7" };
    let status = 0;
    for (let i = 0; i < 31 && status !== 429; i++) {
      status = (await postJson("/api/v1/recommendations", sampleRecommendation(), one)).status;
    }
    expect(status).toBe(429);
    expect((await postJson("/api/v1/recommendations", sampleRecommendation())).status).toBe(201);
  });

  it("counts a submission in the write that stores it: past the limit nothing is stored, with a key or without", async () => {
    const client = { "CF-Connecting-IP": "198.51.100.23" };
    const count = async (table: string) =>
      (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;
    for (let i = 0; i < 30; i++) {
      expect((await postJson("/api/v1/recommendations", sampleRecommendation(), client)).status).toBe(201);
    }
    const tables = [
      "recommendations",
      "recommendation_categories",
      "recommendation_jurisdictions",
      "queue",
      "idempotency",
    ];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])));
    const stored = await counts();
    const last = await env.DB.prepare("SELECT reference FROM recommendations ORDER BY seq DESC LIMIT 1").first();
    for (const keyed of [{}, { "Idempotency-Key": `over-${crypto.randomUUID()}` }] as Record<string, string>[]) {
      const refused = await postJson("/api/v1/recommendations", sampleRecommendation(), { ...client, ...keyed });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    }
    // Neither refusal stored a recommendation, a tag, a queue row or a key, nor used up a reference number.
    expect(await counts()).toEqual(stored);
    const next = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as {
      reference: string;
    };
    const number = (reference: unknown) => Number(String(reference).split("-").at(-1));
    expect(number(next.reference)).toBe(number(last?.reference) + 1);
  });

  it("counts a submission refused for attachments it cannot have, like any other", async () => {
    const client = { "CF-Connecting-IP": "198.51.100.41" };
    const body = { ...sampleRecommendation(), attachments: [crypto.randomUUID()] };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await postJson("/api/v1/recommendations", body, client)).status);
    expect(statuses.slice(0, 30).every((s) => s === 422)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe("privacy", () => {
  it("stores no IP address and no user agent anywhere: D1, the objects' storage, R2 metadata", async () => {
    const ip = "203.0.113.77";
    const forwarded = "192.0.2.99";
    const agent = `PrivacyProbe/${crypto.randomUUID()}`;
    const headers = {
      "CF-Connecting-IP": ip,
      "X-Forwarded-For": `${forwarded}, ${ip}`,
      "User-Agent": agent,
      "X-Real-IP": forwarded,
    };
    const upload = await uploadAll(new TextEncoder().encode("statement text"), "statement.txt");
    const res = await postJson(
      "/api/v1/recommendations",
      { ...sampleRecommendation(), attachments: [upload] },
      headers,
    );
    const { receipt } = (await res.json()) as { receipt: string };
    await postJson("/api/v1/status", { receipt: "WRONG-RECEIPT" }, headers);
    await postJson("/api/v1/status", { receipt }, headers);
    await postForm("/login", { email: "nobody@example.org", password: "x" }, headers);
    const needles = [ip, forwarded, agent, "PrivacyProbe"];

    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      for (const needle of needles) expect(rows, `D1 ${name}`).not.toContain(needle);
    }
    for (const namespace of [env.RECOMMENDATION, env.UPLOAD] as DurableObjectNamespace[]) {
      for (const id of await listDurableObjectIds(namespace)) {
        const dump = await runInDurableObject(namespace.get(id), (_i, state) => {
          const names = state.storage.sql
            .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
            .toArray();
          return JSON.stringify(names.map(({ name }) => state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()));
        });
        for (const needle of needles) expect(dump).not.toContain(needle);
      }
    }
    const objects = await env.FILES.list({ include: ["customMetadata", "httpMetadata"] });
    const metadata = JSON.stringify(objects.objects.map((o) => [o.key, o.customMetadata, o.httpMetadata]));
    for (const needle of needles) expect(metadata).not.toContain(needle);
  });
});

describe("who may see what", () => {
  it("a receipt opens only its own recommendation; ids and receipts of others get nothing", async () => {
    type Created = { id: string; receipt: string; reference: string };
    const a = (await (
      await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: "Alpha" }))
    ).json()) as Created;
    const b = (await (
      await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: "Beta" }))
    ).json()) as Created;
    // B now carries a message that only B's receipt may read.
    await (await openedObject(b.id)).act(
      { action: "message", comment: "For Beta's submitter only" },
      { kind: "staff", id: "s", email: "s@example.org", role: "reviewer" },
      "received",
    );
    const status = (await (await postJson("/api/v1/status", { receipt: a.receipt })).json()) as Record<string, unknown>;
    expect(status.reference).toBe(a.reference);
    expect(JSON.stringify(status)).not.toContain(b.reference);
    expect(JSON.stringify(status)).not.toContain("For Beta's submitter only");
    const other = (await (await postJson("/api/v1/status", { receipt: b.receipt })).json()) as Record<string, unknown>;
    expect(other.reference).toBe(b.reference);
    expect(JSON.stringify(other)).toContain("For Beta's submitter only");
    // An id is not a receipt.
    expect((await postJson("/api/v1/status", { receipt: b.id })).status).toBe(404);
    expect((await postJson("/api/v1/status/withdraw", { receipt: b.id })).status).toBe(404);
  });

  it("staff routes need a session; a reviewer cannot reach admin", async () => {
    const { id } = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as { id: string };
    for (const path of ["/review", `/review/${id}`, "/admin"]) {
      expect((await call(path)).status, path).toBe(303);
    }
    for (const path of [
      `/api/v1/recommendations/${id}`,
      `/api/v1/recommendations/${id}/events`,
      "/api/v1/exports/ftm.ndjson",
    ]) {
      expect((await call(path)).status, path).toBe(401);
    }
    const reviewer = await staffSession("reviewer");
    expect((await call("/admin", { headers: { Cookie: reviewer.cookie } })).status).toBe(403);
  });
});
