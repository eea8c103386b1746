import type { Locale } from "../../worker/domain/locales.ts";
import type { FieldProblem } from "../../worker/domain/validation.ts";
import en from "./en.json";

/**
 * The interface text of each locale. Catalogues are flat JSON (key → text
 * with `{name}` placeholders) so translators' tools can read them.
 */
export type MessageId = keyof typeof en;
type Catalogue = Record<MessageId, string>;

const catalogues: Partial<Record<Locale, Catalogue>> = { en };

export type Translate = (id: MessageId, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale] ?? en;
  return (id, params) =>
    (catalogue[id] ?? en[id]).replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}

/** A field problem from domain/validation.ts as a sentence in the reader's language. */
export function problemMessage(t: Translate, problem: FieldProblem): string {
  return t(`errors.${problem.key}`, problem.params);
}
