/** The interface languages. Order is the order of the language switcher. */
export const LOCALES = [
  "en",
  "es",
  "fr",
  "ar",
  "ru",
  "bn",
  "zh",
  "fa",
  "pt",
  "tr",
  "uk",
  "vi",
  "my",
  "ug",
  "hi",
  "sw",
] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

const RTL: ReadonlySet<Locale> = new Set(["ar", "fa", "ug"]);

export function isLocale(value: string | undefined | null): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? "");
}

export function direction(locale: Locale): "rtl" | "ltr" {
  return RTL.has(locale) ? "rtl" : "ltr";
}

/**
 * Picks the best interface language from an `Accept-Language` header
 * (RFC 9110 quality values; `zh-Hans-CN` matches `zh`). Returns undefined
 * when nothing offered is one of ours.
 */
export function fromAcceptLanguage(header: string | undefined | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split("-")[0];
    if (isLocale(primary)) return primary;
  }
  return undefined;
}

/** Cookie first (the person chose it), then the browser's wish, then English. */
export function negotiate(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

/** Each language's name in itself, for the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  es: "Español",
  fr: "Français",
  ar: "العربية",
  ru: "Русский",
  bn: "বাংলা",
  zh: "中文（简体）",
  fa: "فارسی",
  pt: "Português",
  tr: "Türkçe",
  uk: "Українська",
  vi: "Tiếng Việt",
  my: "မြန်မာ",
  ug: "ئۇيغۇرچە",
  hi: "हिन्दी",
  sw: "Kiswahili",
};

/** The languages of the staff pages (their own catalogue); each staff member picks theirs. */
export const STAFF_LOCALES = ["en", "fr", "es", "ar"] as const satisfies readonly Locale[];
export type StaffLocale = (typeof STAFF_LOCALES)[number];

export function isStaffLocale(value: string | undefined | null): value is StaffLocale {
  return (STAFF_LOCALES as readonly string[]).includes(value ?? "");
}
