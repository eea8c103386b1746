import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { LOCALES } from "../../worker/domain/locales.ts";
import { call } from "../helpers/http.ts";

describe("public pages", () => {
  it("redirects / to the cookie's locale, else Accept-Language, else English", async () => {
    const byCookie = await call("/", { headers: { Cookie: "lang=fa", "Accept-Language": "ru" } });
    expect(byCookie.status).toBe(302);
    expect(byCookie.headers.get("Location")).toBe("/fa/");
    expect((await call("/", { headers: { "Accept-Language": "zh-CN,zh;q=0.9" } })).headers.get("Location")).toBe(
      "/zh/",
    );
    expect((await call("/")).headers.get("Location")).toBe("/en/");
  });

  it("serves the intake form at /en/ with its language and direction", async () => {
    const res = await call("/en/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toMatch(/<form id="intake" method="post" action="\/en\/recommendations"/);
    for (const name of ["submitter.organization", "submitter.contact_email", "target.name", "conduct.summary"]) {
      expect(html).toContain(`name="${name}"`);
    }
  });

  it("sets dir=rtl for Arabic and Persian", async () => {
    expect(await (await call("/ar/")).text()).toContain('<html lang="ar" dir="rtl">');
    expect(await (await call("/fa/")).text()).toContain('<html lang="fa" dir="rtl">');
  });

  it("answers 404 with a page for an unknown locale", async () => {
    const res = await call("/de/");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("text/html");
  });

  it("sends a strict Content-Security-Policy and no-referrer on pages", async () => {
    const res = await call("/en/");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("says truthfully what is sent when, and gives safety advice, in every locale", async () => {
    for (const locale of LOCALES) {
      const html = await (await call(`/${locale}/`)).text();
      const t = catalogues[locale];
      expect(html, locale).toContain(escapeText(t["form.safety"]));
      expect(html, locale).toContain(escapeText(t["form.intro"]));
      expect(t["form.safety"], locale).toContain("Tor");
    }
    expect(catalogues.en["form.intro"]).not.toContain("Nothing is sent until");
  });
});

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
