import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { LOCALES, type Locale } from "../../worker/domain/locales.ts";
import { formBody, showsValue, toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { openedObject } from "../helpers/submit.ts";

function post(locale: Locale, fields: [string, string][], headers: Record<string, string> = {}) {
  return call(`/${locale}/recommendations`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: formBody(fields).toString(),
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function testid(html: string, id: string): string | undefined {
  return new RegExp(`data-testid="${id}"[^>]*>([^<]+)<`).exec(html)?.[1];
}

async function formToken(locale: Locale): Promise<string> {
  const html = await (await call(`/${locale}/`)).text();
  const token = /name="_token" value="([^"]+)"/.exec(html)?.[1];
  expect(token).toBeTruthy();
  return token as string;
}

/** Every field name of the recommendation as the form posts it. */
const FORM_NAMES = [
  "submitter.organization",
  "submitter.country",
  "submitter.contact_name",
  "submitter.contact_email",
  "submitter.contact_phone",
  "submitter.may_be_named",
  "submitter.partners",
  "target.kind",
  "target.name",
  "target.name_latin",
  "target.aliases[]",
  "target.birth_date",
  "target.birth_place",
  "target.nationalities[]",
  "target.identifiers[0].type",
  "target.identifiers[0].number",
  "target.identifiers[0].country",
  "target.positions[0].title",
  "target.positions[0].organization",
  "target.positions[0].country",
  "target.positions[0].from",
  "target.positions[0].to",
  "target.assets",
  "conduct.categories[]",
  "conduct.involvement",
  "conduct.country",
  "conduct.period_start",
  "conduct.period_end",
  "conduct.summary",
  "conduct.victims",
  "jurisdictions[]",
  "evidence.description",
  "evidence.links[]",
  "evidence.exculpatory",
  "safety.risk_level",
  "safety.notes",
  "safety.consent_to_share",
];

describe.each(LOCALES)("the intake form in %s", (locale) => {
  const t = catalogues[locale];

  it("renders every field of the recommendation, in the locale, with lang and dir", async () => {
    const res = await call(`/${locale}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    const dir = ["ar", "fa", "ug"].includes(locale) ? "rtl" : "ltr";
    expect(html).toContain(`<html lang="${locale}" dir="${dir}">`);
    for (const name of FORM_NAMES) expect(html, name).toContain(`name="${name}"`);
    expect(html).toContain(escapeHtml(t["form.title"]));
    expect(html).toContain(escapeHtml(t["category.torture"]));
    // The language switcher keeps what was typed: each language posts the form to itself.
    for (const other of LOCALES) expect(html).toContain(`formaction="/${other}/recommendations"`);
  });

  it("stores a valid submission and answers 201 with the reference and the receipt code", async () => {
    const name = `Form target ${locale} ${crypto.randomUUID()}`;
    const fields = toFormFields(sampleRecommendation({ targetName: name }));
    const res = await post(locale, [["_token", await formToken(locale)], ...fields]);
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(escapeHtml(t["done.title"]));
    const reference = testid(html, "reference");
    expect(reference).toMatch(/^REC-\d{4}-\d{5}$/);
    expect(testid(html, "receipt-code")).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    const row = await env.DB.prepare("SELECT language, target_name FROM recommendations WHERE reference = ?")
      .bind(reference)
      .first();
    expect(row).toEqual({ language: locale, target_name: name });
    // The fingerprint the submitter keeps is the content hash the log fixed, with what it proves.
    const id = await env.DB.prepare("SELECT id FROM recommendations WHERE reference = ?")
      .bind(reference)
      .first<string>("id");
    const [first] = await (await openedObject(id as string)).events();
    expect(testid(html, "fingerprint")).toBe(first?.data?.content_sha256);
    expect(html).toContain(escapeHtml(t["fingerprint.hint"]));
  });

  it("answers 422 in the locale, keeping every value and marking each problem beside its field", async () => {
    const rec = sampleRecommendation({ targetName: `Name <script>alert("${locale}")</script>` });
    rec.conduct.summary = "Short & <b>bold</b>";
    rec.submitter.contact_email = "not-an-email";
    const fields = toFormFields(rec).filter(([k]) => k !== "target.kind");
    const res = await post(locale, fields);
    expect(res.status).toBe(422);
    const html = await res.text();
    // Every value, whatever its control: text, textarea, select, radio, checkbox, list and yes/no.
    for (const [name, value] of fields) expect(showsValue(html, name, value), `${name} = ${value}`).toBe(true);
    // …and not what was never chosen (the helper tells a kept value from an option that merely exists).
    expect(showsValue(html, "target.kind", "person")).toBe(false);
    expect(showsValue(html, "conduct.country", "FR")).toBe(false);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>bold</b>");
    expect(html).toContain('value="torture" checked');
    expect(html).toContain('value="us_glomag" checked');
    expect(html).toMatch(/name="target.nationalities\[\]"[^>]*>.*?<option value="RU" selected/s);
    expect(html).toContain(escapeHtml(t["errors.required"]));
    expect(html).toContain(escapeHtml(t["errors.too_short"].replace("{min}", "50")));
    expect(html).toContain(escapeHtml(t["errors.invalid_email"]));
    expect(html).toMatch(
      /id="f-submitter-contact_email"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*f-submitter-contact_email-error/,
    );
    expect(html).toContain('href="#f-target-kind"');
    expect(html).toContain('href="#f-conduct-summary"');
    // The title says "Error" first, so a screen reader hears it before anything else.
    const title = escapeHtml(t["error.title_prefix"].replace("{title}", t["form.title"]));
    expect(html).toContain(`<title>${title} · Dossier</title>`);
  });

  it("answers an empty form with every missing field by its label, each link landing on an element of the page", async () => {
    const res = await post(locale, [["_token", await formToken(locale)]]);
    expect(res.status).toBe(422);
    const html = await res.text();
    const links = [...html.matchAll(/<a href="#(f-[^"]+)">/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(10);
    for (const id of links) expect(html, id).toContain(`id="${id}"`);
  });

  it("labels a list's rows by their number under the list's legend, not by the legend again", async () => {
    const html = await (await call(`/${locale}/`)).text();
    const aliases = html.slice(
      html.indexOf('id="f-target-aliases"'),
      html.indexOf("</fieldset>", html.indexOf('id="f-target-aliases"')),
    );
    expect(aliases).toContain(escapeHtml(t["field.target.aliases"]));
    expect(aliases).toContain('<label for="f-target-aliases-0">1.</label>');
    expect(aliases.split(escapeHtml(t["field.target.aliases"])).length - 1).toBe(1);
  });

  it("renders the status pages: the lookup form and a recommendation's status", async () => {
    const lookup = await (await call(`/${locale}/status`)).text();
    expect(lookup).toContain(escapeHtml(t["status.intro"]));
    const { receipt } = (await (await postJson("/api/v1/recommendations", sampleRecommendation())).json()) as {
      receipt: string;
    };
    const res = await call(`/${locale}/status`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: ORIGIN,
        "CF-Connecting-IP": `status-${locale}`,
      },
      body: new URLSearchParams({ receipt }).toString(),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(escapeHtml(t["step.received"]));
    expect(html).toContain(escapeHtml(t["status.withdraw.submit"]));
  });

  it("answers the JSON API's 422 in the Accept-Language locale", async () => {
    const rec = sampleRecommendation() as Record<string, any>;
    delete rec.conduct.country;
    rec.target.birth_date = "someday";
    const res = await postJson("/api/v1/recommendations", rec, { "Accept-Language": `${locale};q=0.9, en;q=0.1` });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: {
        code: "validation_failed",
        message: t["errors.summary"],
        fields: [
          { path: "target.birth_date", message: t["errors.invalid_date"] },
          { path: "conduct.country", message: t["errors.required"] },
        ],
      },
    });
  });
});

describe("the form's safety nets", () => {
  it("never stores a resend twice: the same token and values give the same reference, the receipt only once", async () => {
    const token = await formToken("en");
    const fields = [["_token", token], ...toFormFields(sampleRecommendation({ targetName: `Twice ${token}` }))] as [
      string,
      string,
    ][];
    const [first, second] = await Promise.all([post("en", fields), post("en", fields)]);
    const a = await first.text();
    const b = await second.text();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(testid(a, "reference")).toBe(testid(b, "reference"));
    // Whichever came second is a replay: the reference again, but not the receipt.
    expect([a, b].filter((html) => html.includes('data-testid="receipt-code"'))).toHaveLength(1);
    expect([a, b].filter((html) => html.includes('data-testid="replay"'))).toHaveLength(1);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM recommendations WHERE target_name = ?")
      .bind(`Twice ${token}`)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("treats a changed form sent with the same token as a new recommendation", async () => {
    const token = await formToken("es");
    const one = toFormFields(sampleRecommendation({ targetName: `Edited A ${token}` }));
    const two = toFormFields(sampleRecommendation({ targetName: `Edited B ${token}` }));
    const a = await (await post("es", [["_token", token], ...one])).text();
    const b = await (await post("es", [["_token", token], ...two])).text();
    expect(testid(a, "reference")).not.toBe(testid(b, "reference"));
  });

  it("adds an empty row on 'add another' without losing anything or validating", async () => {
    const fields: [string, string][] = [
      ["submitter.organization", "Kept org"],
      ["target.aliases[]", "First alias"],
      ["_add", "target.aliases"],
    ];
    const res = await post("ru", fields);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('value="Kept org"');
    expect(html).toMatch(
      /<input(?=[^>]*id="f-target-aliases-0")(?=[^>]*name="target.aliases\[\]")[^>]*value="First alias"/,
    );
    expect(html).toMatch(/<input(?=[^>]*id="f-target-aliases-1")(?=[^>]*name="target.aliases\[\]")[^>]*value=""/);
    expect(html).not.toContain('class="error-summary"');
  });

  it("keeps what was typed when the language changes: the switcher posts the form to the other language", async () => {
    const page = await (await call("/en/")).text();
    // Each language is a button that posts this form to the same page in that language.
    expect(page).toMatch(/<button[^>]*form="intake"[^>]*formaction="\/fa\/recommendations"[^>]*value="language"/);
    const res = await post("fa", [
      ["submitter.organization", "Kept across languages"],
      ["target.name", "Someone"],
      ["intent", "language"],
    ]);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('value="Kept across languages"');
    expect(html).not.toContain('class="error-summary"');
  });

  it("refuses a form posted from another site", async () => {
    const res = await post("en", toFormFields(sampleRecommendation()), { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });

  it("accepts multipart/form-data as browsers send it", async () => {
    const data = new FormData();
    for (const [k, v] of toFormFields(sampleRecommendation({ targetName: "Multipart target" }))) data.append(k, v);
    const res = await call("/fa/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(res.status).toBe(201);
  });

  it("sets the lang cookie for the chosen language, for the browser session only", async () => {
    const res = await call("/bn/");
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^lang=bn; Path=\//);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });
});
