import { describe, expect, it } from "vitest";
import { translator } from "../../web/i18n/index.ts";
import { direction, fromAcceptLanguage, negotiate } from "../../worker/domain/locales.ts";

describe("locale negotiation", () => {
  it("prefers the lang cookie over the browser's languages", () => {
    expect(negotiate("fa", "ru,en;q=0.5")).toBe("fa");
  });

  it("ignores a cookie that is not one of our locales", () => {
    expect(negotiate("de", "ru,en;q=0.5")).toBe("ru");
  });

  it("follows quality values and matches regional and script variants", () => {
    expect(fromAcceptLanguage("de-DE, fr-CA;q=0.4, zh-Hans-CN;q=0.8")).toBe("zh");
    expect(fromAcceptLanguage("bn-IN")).toBe("bn");
    expect(fromAcceptLanguage("es;q=0, ar;q=0.1")).toBe("ar");
  });

  it("knows the sixteen: Brazilian Portuguese, Ukrainian, Uyghur (right to left), Burmese, Swahili…", () => {
    expect(fromAcceptLanguage("pt-BR,pt;q=0.9,en;q=0.5")).toBe("pt");
    expect(fromAcceptLanguage("uk-UA, ru;q=0.8")).toBe("uk");
    expect(fromAcceptLanguage("ug-CN")).toBe("ug");
    expect(fromAcceptLanguage("my-MM")).toBe("my");
    expect(fromAcceptLanguage("sw-KE, en;q=0.3")).toBe("sw");
    expect(fromAcceptLanguage("hi-IN")).toBe("hi");
    expect(fromAcceptLanguage("vi")).toBe("vi");
    expect(fromAcceptLanguage("tr-TR")).toBe("tr");
    expect(direction("ug")).toBe("rtl");
    expect(direction("my")).toBe("ltr");
  });

  it("falls back to English", () => {
    expect(negotiate(undefined, undefined)).toBe("en");
    expect(negotiate(undefined, "de, it;q=0.9")).toBe("en");
  });

  it("writes Arabic and Persian right to left", () => {
    expect(direction("ar")).toBe("rtl");
    expect(direction("fa")).toBe("rtl");
    expect(direction("ru")).toBe("ltr");
  });
});

describe("plural forms", () => {
  it("picks the form of the language's plural category, else the general one", () => {
    const en = translator("en");
    expect(en("errors.summary_count", { count: 1 })).toBe("Please correct 1 field before sending.");
    expect(en("errors.summary_count", { count: 3 })).toBe("Please correct 3 fields before sending.");
    // French counts 0 and 1 as "one"; Chinese has no singular form.
    expect(translator("fr")("errors.summary_count", { count: 0 })).toContain("0 champ ");
    expect(translator("zh")("errors.summary_count", { count: 1 })).toBe(
      translator("zh")("errors.summary_count", { count: 5 }).replace("5", "1"),
    );
  });
});
