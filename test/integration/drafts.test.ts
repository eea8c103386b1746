import { createScheduledController, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { findAttachment } from "../../worker/db/attachments.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import { uploadObject } from "../../worker/durable/upload.ts";
import worker from "../../worker/index.ts";
import { sweepUnattached } from "../../worker/services/housekeeping.ts";
import { formBody, showsValue, toFormFields } from "../helpers/form.ts";
import { call, ORIGIN } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { offsetOf, uploadAll } from "../helpers/tus.ts";

/** A unique client per test, so the lookup limit of one does not touch another's. */
function client(): Record<string, string> {
  return { "CF-Connecting-IP": `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` };
}

function post(path: string, fields: [string, string][], headers: Record<string, string> = {}) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: formBody(fields).toString(),
  });
}

async function formToken(locale: Locale): Promise<string> {
  const html = await (await call(`/${locale}/`)).text();
  return /name="_token" value="([^"]+)"/.exec(html)?.[1] as string;
}

function codeOf(html: string): string {
  return /data-testid="draft-code"[^>]*>([^<]+)</.exec(html)?.[1] as string;
}

describe("save and continue later", () => {
  it("keeps a half-written form under a code, sealed, and gives every value back in another browser", async () => {
    const rec = sampleRecommendation({ targetName: "Draft target جنرال" });
    // Half written: the summary is too short and the jurisdictions are missing; nothing is checked on saving.
    rec.conduct.summary = "Not finished";
    const fields = toFormFields(rec).filter(([k]) => !k.startsWith("jurisdictions"));
    const saved = await post("/fa/recommendations", [
      ["_token", await formToken("fa")],
      ...fields,
      ["intent", "save_draft"],
    ]);
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(html).toContain(catalogues.fa["draft.saved.hint"]);
    const code = codeOf(html);
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);

    // Only the code's hash and sealed content are stored.
    const rows = await env.DB.prepare("SELECT * FROM drafts").all();
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain("Draft target");
    expect(stored).not.toContain(rec.submitter.contact_email);

    // Another browser, another language: no cookie, the code typed loosely.
    const opened = await post(
      "/en/drafts/open",
      [["draft_code", ` ${code.toLowerCase().replace(/-/g, " ")} `]],
      client(),
    );
    expect(opened.status).toBe(200);
    const form = await opened.text();
    expect(form).toContain(catalogues.en["draft.opened"]);
    for (const [name, value] of fields) expect(showsValue(form, name, value), name).toBe(true);
    expect(form).toContain(`name="_draft" value="${code}"`);
  });

  it("saves again under the same code, and forgets the draft once the recommendation is sent", async () => {
    const rec = sampleRecommendation({ targetName: "Draft sent" });
    const first = await post("/en/recommendations", [
      ["_token", await formToken("en")],
      ...toFormFields(rec),
      ["intent", "save_draft"],
    ]);
    const code = codeOf(await first.text());
    const again = await post("/en/recommendations", [
      ["_token", await formToken("en")],
      ["_draft", code],
      ...toFormFields(rec),
      ["intent", "save_draft"],
    ]);
    expect(codeOf(await again.text())).toBe(code);
    const sent = await post("/en/recommendations", [
      ["_token", await formToken("en")],
      ["_draft", code],
      ...toFormFields(rec),
    ]);
    expect(sent.status).toBe(201);
    const gone = await post("/en/drafts/open", [["draft_code", code]], client());
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain(catalogues.en["errors.draft_unknown"]);
  });

  it("refuses an unknown or expired code, and the Cron Trigger deletes drafts past 30 days", async () => {
    const saved = await post("/en/recommendations", [
      ["_token", await formToken("en")],
      ...toFormFields(sampleRecommendation({ targetName: "Draft expired" })),
      ["intent", "save_draft"],
    ]);
    const code = codeOf(await saved.text());
    expect((await post("/en/drafts/open", [["draft_code", "AAAA-BBBB-CCCC-DDDD-EEEE"]], client())).status).toBe(404);
    await env.DB.prepare("UPDATE drafts SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    expect((await post("/en/drafts/open", [["draft_code", code]], client())).status).toBe(404);
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM drafts").first())?.n).toBe(0);
  });
});

describe("files kept with a draft", () => {
  it("keeps an upload a saved draft holds past the day unattached files get, and lets it go with the draft", async () => {
    const id = await uploadAll(new TextEncoder().encode("a witness statement, typed up"), "statement.txt");
    const rec = sampleRecommendation({ targetName: "Held file target" });
    const saved = await post("/en/recommendations", [
      ["_token", await formToken("en")],
      ...toFormFields(rec),
      ["attachments[]", id],
      ["intent", "save_draft"],
    ]);
    expect(saved.status).toBe(200);
    const row = await env.DB.prepare("SELECT files FROM drafts WHERE files LIKE ?")
      .bind(`%${id}%`)
      .first<{ files: string }>();
    expect(JSON.parse(row?.files as string)).toEqual([id]);

    // Two days on: the upload's own expiry and the sweep both leave it, since the draft still holds it.
    const object = uploadObject(env, id);
    await runInDurableObject(object, (_i, state) => {
      state.storage.sql.exec("UPDATE upload SET expires_at = ?", Date.now() - 1000);
    });
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await offsetOf(id)).not.toBeNull();
    await sweepUnattached(env, new Date(Date.now() + 2 * 86_400_000));
    expect(await findAttachment(env.DB, id)).toBeTruthy();

    // Past the draft's 30 days: the draft and then its file go.
    await sweepUnattached(env, new Date(Date.now() + 31 * 86_400_000));
    expect(await findAttachment(env.DB, id)).toBeUndefined();
    expect((await env.FILES.list({ prefix: `originals/${id}` })).objects).toHaveLength(0);
  });
});
