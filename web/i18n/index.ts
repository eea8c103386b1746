import type { Locale } from "../../worker/domain/locales.ts";
import type { FieldProblem } from "../../worker/domain/validation.ts";
import ar from "./ar.json";
import bn from "./bn.json";
import en from "./en.json";
import es from "./es.json";
import fa from "./fa.json";
import fr from "./fr.json";
import ru from "./ru.json";
import staff from "./staff.json";
import zh from "./zh.json";

/**
 * Interface text. Catalogues are flat JSON (key → text with `{name}`
 * placeholders) that translators' tools read. Everything a submitter sees is
 * in all eight locales; the staff pages are in English (staff.json).
 */
export type MessageId = Exclude<keyof typeof en, `${string}[${string}]`>;
export type StaffMessageId = keyof typeof staff;

// Typed against English: a catalogue missing a key fails the type check.
const catalogues: Record<Locale, Record<MessageId, string>> = { en, es, fr, ar, ru, bn, zh, fa };

export type Params = Record<string, string | number>;
export type Translate = (id: MessageId, params?: Params) => string;
export type StaffTranslate = (id: StaffMessageId, params?: Params) => string;

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

export function staffTranslator(): StaffTranslate {
  const rules = new Intl.PluralRules("en");
  return (id, params) => fill(pluralized(staff, rules, id, params), params);
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
