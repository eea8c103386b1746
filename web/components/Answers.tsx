import { type CaseDraft, type FormPage, SECTIONS, targetsOf } from "../../worker/domain/case-form.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import { countryName } from "../countries.ts";
import { isMessageId, type MessageId, type Translate } from "../i18n/index.ts";
import { scriptOptions } from "./TargetFields.tsx";

/** A page's answers as label and text, in the reader's words (labels, not codes). */
export type Answer = readonly [label: string, text: string];

/** Catalogue prefixes of the words for coded answers, by field (paths without row numbers). */
const CODED: Record<string, string> = {
  "target.kind": "field.target.kind.",
  "target.gender": "gender.",
  "target.identifiers.type": "identifier.",
  "relations.kind": "relation.",
  "conduct.categories": "category.",
  "conduct.involvement": "involvement.",
  "conduct.victim_profiles": "victim.",
  jurisdictions: "jurisdiction.",
  "evidence.items.kind": "evidence_kind.",
  "safety.risk_level": "risk.",
};

interface Words {
  t: Translate;
  locale: Locale;
  targetNames: readonly string[];
  scripts: Map<string, string>;
}

function say(w: Words, field: string, value: unknown): string {
  if (typeof value === "boolean") return w.t(value ? "form.yes" : "form.no");
  if (value === null) return w.t("field.relations.to.none");
  if (field === "relations.from" || field === "relations.to") return w.targetNames[Number(value)] ?? String(value);
  if (field === "target.script") return w.scripts.get(String(value)) ?? String(value);
  if (/(country|nationalities)$/.test(field)) return countryName(String(value), w.locale);
  const coded = CODED[field] && `${CODED[field]}${String(value)}`;
  return coded && isMessageId(coded) ? w.t(coded) : String(value);
}

/** Every answer under `path`, depth first: lists of values on one line, rows of a group numbered. */
function answers(w: Words, field: string, value: unknown, row = 0): Answer[] {
  if (value === undefined || value === "") return [];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) {
      return value.length ? [[label(w, field, row), value.map((v) => say(w, field, v)).join(", ")]] : [];
    }
    return value.flatMap((v, i) => answers(w, field, v, i + 1));
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, v]) => answers(w, `${field}.${key}`, v, row));
  }
  return [[label(w, field, row), say(w, field, value)]];
}

function label(w: Words, field: string, row: number): string {
  const key = `field.${field}`;
  const text = isMessageId(key) ? w.t(key as MessageId) : field;
  return row > 1 ? `${text} (${row})` : text;
}

/** The answers a section holds (the parts of `conduct` split between "what they did" and "incidents"). */
function sectionAnswers(w: Words, section: (typeof SECTIONS)[number], draft: Record<string, unknown>): Answer[] {
  const conduct = (draft.conduct ?? {}) as Record<string, unknown>;
  const { incidents, ...rest } = conduct;
  switch (section) {
    case "organisation":
      return [...answers(w, "submitter", draft.submitter), ...answers(w, "co_signers", draft.co_signers)];
    case "relations":
      return answers(w, "relations", draft.relations);
    case "conduct":
      return answers(w, "conduct", rest);
    case "incidents":
      return answers(w, "conduct.incidents", incidents);
    case "programmes":
      return [...answers(w, "jurisdictions", draft.jurisdictions), ...answers(w, "impact", draft.impact)];
    case "evidence":
      return answers(w, "evidence", draft.evidence);
    case "safety":
      return answers(w, "safety", draft.safety);
  }
}

/** A case file's answers page by page (each target, then each section), in the reader's words. */
export function answerBlocks(t: Translate, locale: Locale, draft: CaseDraft): { page: FormPage; rows: Answer[] }[] {
  const targets = targetsOf(draft);
  const targetNames = targets.map((target, i) => `${i + 1}. ${String(target.name ?? "")}`);
  const w: Words = {
    t,
    locale,
    targetNames,
    scripts: new Map(scriptOptions({ t, locale, values: {}, errors: new Map() })),
  };
  const { schema_version: _, attachments: __, ...rest } = draft;
  return [
    ...targets.map((target, i) => ({ page: { target: i }, rows: answers(w, "target", target) })),
    ...SECTIONS.map((section) => ({ page: { section }, rows: sectionAnswers(w, section, rest) })),
  ];
}
