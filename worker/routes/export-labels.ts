import { countryName } from "../../web/countries.ts";
import { isMessageId, translator } from "../../web/i18n/index.ts";
import type { Labeller } from "../domain/export-columns.ts";
import type { Locale } from "../domain/locales.ts";

/** Which catalogue words a column's codes have (by the column's last part). */
const PREFIXES: Record<string, string> = {
  categories: "category",
  involvement: "involvement",
  jurisdictions: "jurisdiction",
  programme: "jurisdiction",
  outcome: "step",
  risk_level: "risk",
  step: "step",
  kind: "field.target.kind",
  type: "identifier",
};
const COUNTRIES = new Set(["country", "nationalities"]);

/** `?labels=LOCALE`: the public catalogue's words and ICU's country names, in that language. */
export function exportLabeller(locale: Locale): Labeller {
  const t = translator(locale);
  return (column, code) => {
    const field = column.split(".").at(-1) ?? column;
    if (typeof code === "boolean") return t(code ? "form.yes" : "form.no");
    if (COUNTRIES.has(field) && /^[A-Z]{2}$/.test(code)) return countryName(code, locale);
    const id = `${PREFIXES[field]}.${code}`;
    return PREFIXES[field] && isMessageId(id) ? t(id) : undefined;
  };
}
