import { COUNTRY_CODES } from "../worker/domain/countries.ts";
import type { Locale } from "../worker/domain/locales.ts";

const cache = new Map<Locale, readonly (readonly [string, string])[]>();

/** `[code, name]` for every country, named and sorted in the reader's language (ICU, no tables of our own). */
export function countryOptions(locale: Locale): readonly (readonly [string, string])[] {
  let options = cache.get(locale);
  if (!options) {
    const names = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    const collator = new Intl.Collator(locale);
    options = COUNTRY_CODES.map((code) => [code, names.of(code) ?? code] as const).sort((a, b) =>
      collator.compare(a[1], b[1]),
    );
    cache.set(locale, options);
  }
  return options;
}

const names = new Map<Locale, Intl.DisplayNames>();

/** A country's name in the reader's language, from its ISO code (the code itself when ICU has none). */
export function countryName(code: string | undefined, locale: Locale = "en"): string {
  if (!code) return "";
  let display = names.get(locale);
  if (!display) {
    display = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    names.set(locale, display);
  }
  return display.of(code) ?? code;
}
