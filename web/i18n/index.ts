import type { Locale, StaffLocale } from "../../worker/domain/locales.ts";
import type { FieldProblem } from "../../worker/domain/validation.ts";
import ar from "./ar.json";
import bn from "./bn.json";
import en from "./en.json";
import es from "./es.json";
import fa from "./fa.json";
import fr from "./fr.json";
import hi from "./hi.json";
import my from "./my.json";
import pt from "./pt.json";
import ru from "./ru.json";
import staffAr from "./staff.ar.json";
import staffEs from "./staff.es.json";
import staffFr from "./staff.fr.json";
import staff from "./staff.json";
import sw from "./sw.json";
import tr from "./tr.json";
import ug from "./ug.json";
import uk from "./uk.json";
import vi from "./vi.json";
import zh from "./zh.json";

/**
 * Interface text. Catalogues are flat JSON (key → text with `{name}`
 * placeholders) that translators' tools read. Everything a submitter sees is
 * in every locale; the staff pages have their own catalogue (staff.json in
 * English, staff.fr/es/ar.json), each staff member reading their choice.
 */
export type MessageId = Exclude<keyof typeof en, `${string}[${string}]`>;
export type StaffMessageId = Exclude<keyof typeof staff, `${string}[${string}]`>;

// Typed against English: a catalogue missing a key fails the type check.
const catalogues: Record<Locale, Record<MessageId, string>> = {
  en,
  es,
  fr,
  ar,
  ru,
  bn,
  zh,
  fa,
  pt,
  tr,
  uk,
  vi,
  my,
  ug,
  hi,
  sw,
};

export type Params = Record<string, string | number>;
export type Translate = (id: MessageId, params?: Params) => string;
/** The staff pages' words, and the language they are in (for `lang` and `dir`). */
export type StaffTranslate = ((id: StaffMessageId, params?: Params) => string) & { locale: StaffLocale };

function fill(text: string, params?: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/**
 * A message with a number in it may have a form per plural category of its
 * language, keyed `id[one]`, `id[few]`… (the categories `Intl.PluralRules`
 * names); the plain `id` is the general form, used when no variant fits.
 */
function pluralized(catalogue: Record<string, string>, rules: Intl.PluralRules, id: string, params?: Params) {
  const count = params?.count;
  if (typeof count !== "number") return catalogue[id] as string;
  return catalogue[`${id}[${rules.select(count)}]`] ?? (catalogue[id] as string);
}

export function translator(locale: Locale): Translate {
  const catalogue: Record<string, string> = catalogues[locale];
  const rules = new Intl.PluralRules(locale);
  return (id, params) => fill(pluralized(catalogue, rules, id, params), params);
}

const staffCatalogues: Record<StaffLocale, Record<StaffMessageId, string>> = {
  en: staff,
  fr: staffFr,
  es: staffEs,
  ar: staffAr,
};

/** The staff pages' words in a staff member's language (English when none is chosen). */
export function staffTranslator(locale: StaffLocale = "en"): StaffTranslate {
  const catalogue: Record<string, string> = staffCatalogues[locale];
  const rules = new Intl.PluralRules(locale);
  const t = (id: StaffMessageId, params?: Params) => fill(pluralized(catalogue, rules, id, params), params);
  return Object.assign(t, { locale });
}

/** Whether `id` is a key of the public catalogues (labels are looked up by field path). */
export function isMessageId(id: string): id is MessageId {
  return id in en;
}

/** A field problem from domain/validation.ts as a sentence in the reader's language. */
export function problemMessage(t: Translate, problem: FieldProblem): string {
  return t(`errors.${problem.key}`, problem.params);
}

export { catalogues };
