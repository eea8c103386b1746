import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOCALES, STAFF_LOCALES } from "../../worker/domain/locales.ts";
import {
  CATEGORIES,
  IDENTIFIER_TYPES,
  INVOLVEMENTS,
  JURISDICTIONS,
  RISK_LEVELS,
  TARGET_KINDS,
} from "../../worker/domain/recommendation.ts";
import type { MessageKey } from "../../worker/domain/validation.ts";
import { STEPS } from "../../worker/domain/workflow.ts";

const DIR = new URL("../../web/i18n/", import.meta.url);

function catalogue(name: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8"));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

const en = catalogue("en");

describe("the locale catalogues", () => {
  it("exist for exactly the sixteen locales (plus the staff catalogues)", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));
    const staff = ["staff.json", ...STAFF_LOCALES.filter((l) => l !== "en").map((l) => `staff.${l}.json`)];
    expect(LOCALES).toHaveLength(16);
    expect(files.sort()).toEqual([...LOCALES.map((l) => `${l}.json`), ...staff].sort());
  });

  describe.each(LOCALES.filter((l) => l !== "en"))("%s", (locale) => {
    const messages = catalogue(locale);

    it("has every English key and no other; plural forms only for its language's categories", () => {
      const plain = (keys: string[]) => keys.filter((k) => !k.includes("[")).sort();
      expect(plain(Object.keys(messages))).toEqual(plain(Object.keys(en)));
      const categories: string[] = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const key of Object.keys(messages).filter((k) => k.includes("["))) {
        const [, base, category] = key.match(/^(.+)\[(\w+)\]$/) ?? [];
        expect(base && base in en, `${locale}: ${key} has no general form`).toBe(true);
        expect(categories, `${locale}: ${key}`).toContain(category);
      }
    });

    it("uses the same placeholders as English in every message", () => {
      for (const [key, text] of Object.entries(messages)) {
        const general = en[key.replace(/\[\w+\]$/, "")] ?? "";
        expect(placeholders(text), `${locale}: ${key}`).toEqual(placeholders(general));
      }
    });

    it("translates: no empty message, and most differ from English", () => {
      const values = Object.entries(messages);
      expect(values.filter(([, v]) => !v.trim())).toEqual([]);
      const same = values.filter(([k, v]) => v === en[k] && k !== "app.name");
      expect(same.length).toBeLessThan(values.length * 0.05);
    });
  });

  describe.each(STAFF_LOCALES.filter((l) => l !== "en"))("the staff pages in %s", (locale) => {
    const staff = catalogue("staff");
    const messages = catalogue(`staff.${locale}`);
    const categories: string[] = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

    it("have every English key, plural forms only for the language's categories, the same placeholders", () => {
      const plain = (keys: string[]) => keys.filter((k) => !k.includes("[")).sort();
      expect(plain(Object.keys(messages))).toEqual(plain(Object.keys(staff)));
      for (const [key, text] of Object.entries(messages)) {
        const [, base, category] = key.match(/^(.+)\[(\w+)\]$/) ?? ["", key];
        if (category) expect(categories, `${locale}: ${key}`).toContain(category);
        expect(placeholders(text), `${locale}: ${key}`).toEqual(placeholders(staff[base as string] ?? ""));
      }
    });

    it("are translated: most messages differ from English", () => {
      const same = Object.entries(messages).filter(([k, v]) => v === staff[k] && k !== "app.name");
      expect(same.length).toBeLessThan(Object.keys(messages).length * 0.1);
    });
  });

  it("names every value the form offers, every step and every validation message", () => {
    const needed = [
      ...CATEGORIES.map((k) => `category.${k}`),
      ...JURISDICTIONS.map((k) => `jurisdiction.${k}`),
      ...INVOLVEMENTS.map((k) => `involvement.${k}`),
      ...IDENTIFIER_TYPES.map((k) => `identifier.${k}`),
      ...RISK_LEVELS.map((k) => `risk.${k}`),
      ...TARGET_KINDS.map((k) => `field.target.kind.${k}`),
      ...STEPS.map((s) => `step.${s}`),
      ...(
        [
          "required",
          "invalid",
          "too_short",
          "too_long",
          "too_few",
          "too_many",
          "invalid_email",
          "invalid_url",
          "invalid_date",
          "invalid_choice",
          "end_before_start",
          "malformed_text",
        ] satisfies MessageKey[]
      ).map((k) => `errors.${k}`),
    ];
    expect(needed.filter((k) => !(k in en))).toEqual([]);
    const staff = catalogue("staff");
    expect(STEPS.map((s) => `step.${s}`).filter((k) => !(k in staff))).toEqual([]);
  });
});
