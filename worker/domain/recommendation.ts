import { z } from "zod";
import { COUNTRY_CODES } from "./countries.ts";
import { LOCALES } from "./locales.ts";
import { isPartialDate, notBefore } from "./partial-date.ts";

/**
 * The recommendation: the single source for the HTML form,
 * the JSON API, the OpenAPI document and the export columns. Error messages
 * are catalogue keys (see validation.ts), never English sentences.
 */

export const TARGET_KINDS = ["person", "entity"] as const;
export const IDENTIFIER_TYPES = ["passport", "national_id", "registration", "tax", "other"] as const;
/** Conduct the human-rights limbs of the programmes speak of. */
export const HUMAN_RIGHTS_CATEGORIES = [
  "extrajudicial_killing",
  "torture",
  "enforced_disappearance",
  "arbitrary_detention",
  "sexual_violence",
  "forced_labour",
  "trafficking",
  "attacks_on_defenders",
  "repression_of_expression_assembly",
] as const;
/** Conduct the corruption limbs speak of. */
export const CORRUPTION_CATEGORIES = [
  "bribery",
  "misappropriation",
  "expropriation",
  "procurement_corruption",
  "resource_corruption",
  "laundering",
] as const;
export const CATEGORIES = [...HUMAN_RIGHTS_CATEGORIES, ...CORRUPTION_CATEGORIES, "other"] as const;
export const INVOLVEMENTS = [
  "direct",
  "ordered",
  "complicit",
  "leader",
  "attempted",
  "material_support",
  "benefited",
] as const;
export const JURISDICTIONS = [
  "us_glomag",
  "us_7031c",
  "uk_global_human_rights",
  "uk_global_anti_corruption",
  "eu_global_human_rights",
  "ca_magnitsky",
  "au_magnitsky",
] as const;
export const RISK_LEVELS = ["low", "medium", "high"] as const;

/** Fields encrypted at rest and left out of exports without the `contact` scope. */
export const SENSITIVE_FIELDS = [
  "submitter.contact_name",
  "submitter.contact_email",
  "submitter.contact_phone",
  "safety.notes",
] as const;

export const LIMITS = {
  shortText: 300,
  name: 500,
  longText: 20_000,
  summaryMin: 50,
  listItems: 50,
  attachments: 20,
} as const;

/**
 * Text that is valid Unicode. JSON can carry a lone surrogate (`"\ud800"`),
 * which storage would silently turn into U+FFFD, so a hash taken before
 * storing would no longer match the text stored: refused at the door.
 */
export const wellFormed = (schema: z.ZodString) =>
  schema.refine((value) => value.isWellFormed(), { message: "malformed_text" });

const text = (max: number = LIMITS.shortText) => wellFormed(z.string().trim().min(1).max(max));
const optionalText = (max: number = LIMITS.shortText) => wellFormed(z.string().trim().max(max)).optional();
const country = z.enum(COUNTRY_CODES);
const partialDate = z.string().trim().refine(isPartialDate, { message: "invalid_date" });
const list = <T extends z.ZodType>(item: T, max: number = LIMITS.listItems) => z.array(item).max(max).default([]);

export const Identifier = z.object({
  type: z.enum(IDENTIFIER_TYPES),
  number: text(100),
  country: country.optional(),
});

export const Position = z.object({
  title: text(),
  organization: optionalText(),
  country: country.optional(),
  from: partialDate.optional(),
  to: partialDate.optional(),
});

export const Submitter = z.object({
  organization: text(),
  country,
  contact_name: text(),
  contact_email: z.email().max(LIMITS.shortText),
  contact_phone: optionalText(50),
  /** Whether to be told by e-mail (and only that) when a message awaits them. Sealed with the contact details. */
  notify: z.boolean().optional(),
  may_be_named: z.boolean(),
  partners: optionalText(LIMITS.longText),
});

export const Target = z.object({
  kind: z.enum(TARGET_KINDS),
  name: text(LIMITS.name),
  name_latin: optionalText(LIMITS.name),
  aliases: list(text(LIMITS.name)),
  birth_date: partialDate.optional(),
  birth_place: optionalText(),
  nationalities: list(country, 10),
  identifiers: list(Identifier, 20),
  positions: list(Position, 20),
  assets: optionalText(LIMITS.longText),
});

export const Conduct = z
  .object({
    categories: z.array(z.enum(CATEGORIES)).min(1).max(CATEGORIES.length),
    involvement: z.enum(INVOLVEMENTS),
    country,
    period_start: partialDate,
    period_end: partialDate.optional(),
    summary: wellFormed(z.string().trim().min(LIMITS.summaryMin).max(LIMITS.longText)),
    victims: optionalText(LIMITS.longText),
  })
  .superRefine((conduct, ctx) => {
    const { period_start: start, period_end: end } = conduct;
    if (end && isPartialDate(start) && isPartialDate(end) && !notBefore(end, start)) {
      ctx.addIssue({ code: "custom", path: ["period_end"], message: "end_before_start" });
    }
  });

export const Evidence = z.object({
  description: text(LIMITS.longText),
  links: list(z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2_000)),
  exculpatory: optionalText(LIMITS.longText),
});

export const Safety = z.object({
  risk_level: z.enum(RISK_LEVELS),
  notes: optionalText(LIMITS.longText),
  consent_to_share: z.boolean(),
});

/** Ids of finished uploads (tus `Location` ids), at most as many as a recommendation may hold. */
export const AttachmentIds = list(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), LIMITS.attachments);

/** Version 1 of what a submitter sends: one target. Still taken by the API and the form, and stored as version 2. */
export const RecommendationV1 = z.object({
  submitter: Submitter,
  target: Target,
  conduct: Conduct,
  jurisdictions: z.array(z.enum(JURISDICTIONS)).min(1).max(JURISDICTIONS.length),
  evidence: Evidence,
  safety: Safety,
  attachments: AttachmentIds,
});

export type RecommendationV1 = z.output<typeof RecommendationV1>;

export const Language = z.enum(LOCALES);

/*
 * Version 2 of the case file, what is stored and what the API answers:
 * several targets and how they relate, names in their own script,
 * addresses, public office, incidents and victims, why sanctions would help,
 * co-signers, and evidence item by item with consent per use. `upgrade()`
 * turns version 1 into it without losing anything.
 */

export const SCRIPTS = [
  "Latn",
  "Arab",
  "Cyrl",
  "Hans",
  "Hant",
  "Beng",
  "Deva",
  "Hebr",
  "Grek",
  "Geor",
  "Armn",
  "Thai",
  "Ethi",
  "Hang",
  "Jpan",
  "Mymr",
  "Khmr",
  "Tibt",
  "Other",
] as const;
export const GENDERS = ["male", "female", "other"] as const;
export const RELATION_KINDS = [
  "family",
  "associate",
  "owns",
  "controls",
  "commands",
  "member_of",
  "director_of",
] as const;
export const VICTIM_PROFILES = [
  "human_rights_defender",
  "journalist",
  "lawyer",
  "whistleblower",
  "political_opposition",
  "religious_group",
  "ethnic_minority",
  "indigenous",
  "women_girls",
  "children",
  "lgbtqi",
  "other",
] as const;
export const EVIDENCE_KINDS = [
  "testimony",
  "document",
  "official_record",
  "media",
  "open_source",
  "financial",
  "other",
] as const;
/** A person who cannot say how the target took part says so. */
export const INVOLVEMENTS_V2 = [...INVOLVEMENTS, "unknown"] as const;
/** "Not sure: let the coalition advise", instead of programmes. */
export const UNDECIDED = "undecided" as const;

export const LIMITS_V2 = { targets: 10, relations: 50, incidents: 50, items: 50, coSigners: 50 } as const;

const url = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2_000);

export const PositionV2 = Position.extend({ public_official: z.boolean().optional() });

export const TargetV2 = Target.extend({
  script: z.enum(SCRIPTS).optional(),
  name_parts: z
    .object({
      given: optionalText(LIMITS.name),
      family: optionalText(LIMITS.name),
      patronymic: optionalText(LIMITS.name),
    })
    .optional(),
  gender: z.enum(GENDERS).optional(),
  addresses: list(z.object({ text: text(LIMITS.shortText), country: country.optional() }), 20),
  positions: list(PositionV2, 20),
});

export type Relation = z.output<typeof Relation>;
export const Relation = z.object({
  from: z.number().int().min(0),
  to: z.number().int().min(0).nullable(),
  kind: z.enum(RELATION_KINDS),
  /** Who, when `to` is null: a person or company that is not itself recommended. */
  name: optionalText(LIMITS.name),
  note: optionalText(LIMITS.shortText),
});

export const Incident = z.object({
  date: partialDate.optional(),
  country: country.optional(),
  place: optionalText(),
  description: text(LIMITS.longText),
  victims_count: z.number().int().min(0).max(10_000_000).optional(),
});

export const ConductV2 = z
  .object({
    categories: z.array(z.enum(CATEGORIES)).min(1).max(CATEGORIES.length),
    involvement: z.array(z.enum(INVOLVEMENTS_V2)).min(1).max(INVOLVEMENTS_V2.length),
    country,
    period_start: partialDate.optional(),
    period_unknown: z.boolean().optional(),
    period_end: partialDate.optional(),
    summary: wellFormed(z.string().trim().min(LIMITS.summaryMin).max(LIMITS.longText)),
    victims: optionalText(LIMITS.longText),
    victim_profiles: list(z.enum(VICTIM_PROFILES), VICTIM_PROFILES.length),
    incidents: list(Incident, LIMITS_V2.incidents),
  })
  .superRefine(
    (conduct, ctx) => {
      const { period_start: start, period_end: end } = conduct;
      if (!start && !conduct.period_unknown)
        ctx.addIssue({ code: "custom", path: ["period_start"], message: "required" });
      if (typeof start === "string" && typeof end === "string" && isPartialDate(start) && isPartialDate(end)) {
        if (!notBefore(end, start)) ctx.addIssue({ code: "custom", path: ["period_end"], message: "end_before_start" });
      }
    },
    // Checked even when another field is wrong, so a form lists every problem at once.
    { when: isObject },
  );

export const EvidenceItem = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  description: text(LIMITS.longText),
  source: optionalText(),
  date: partialDate.optional(),
  url: url.optional(),
  archive_url: url.optional(),
  attachments: AttachmentIds,
  consent: z.object({ governments: z.boolean(), public: z.boolean() }),
});

export const EvidenceV2 = Evidence.extend({ items: list(EvidenceItem, LIMITS_V2.items) });

const RecommendationShape = z.object({
  schema_version: z.literal(2),
  submitter: Submitter.extend({ about: optionalText(LIMITS.longText) }),
  co_signers: list(
    z.object({ organization: text(), country: country.optional(), may_be_named: z.boolean() }),
    LIMITS_V2.coSigners,
  ),
  targets: z.array(TargetV2).min(1).max(LIMITS_V2.targets),
  relations: list(Relation, LIMITS_V2.relations),
  conduct: ConductV2,
  impact: optionalText(LIMITS.longText),
  jurisdictions: z.union([
    z.tuple([z.literal(UNDECIDED)]),
    z.array(z.enum(JURISDICTIONS)).min(1).max(JURISDICTIONS.length),
  ]),
  evidence: EvidenceV2,
  safety: Safety,
  /** Files not tied to an evidence item (every file of a version-1 recommendation). */
  attachments: AttachmentIds,
});

function isObject(payload: { value: unknown }): boolean {
  return typeof payload.value === "object" && payload.value !== null;
}

const rows = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Relations name targets that exist; files stay within the limit, counting
 * every evidence item's. Run even when other fields are wrong (a form lists
 * every problem at once), so it reads what it is given with care.
 */
function coherent(
  rec: Pick<z.output<typeof RecommendationShape>, "relations" | "targets" | "evidence"> & { attachments?: string[] },
  ctx: z.RefinementCtx,
): void {
  const targets = rows(rec.targets).length;
  for (const [i, r] of (rows(rec.relations) as Partial<Relation>[]).entries()) {
    if (typeof r !== "object" || r === null) continue;
    if (typeof r.from === "number" && r.from >= targets) {
      ctx.addIssue({ code: "custom", path: ["relations", i, "from"], message: "unknown_target" });
    }
    if (typeof r.to === "number" && (r.to >= targets || r.to === r.from)) {
      ctx.addIssue({ code: "custom", path: ["relations", i, "to"], message: "unknown_target" });
    }
    if (r.to === null && !r.name) ctx.addIssue({ code: "custom", path: ["relations", i, "name"], message: "required" });
  }
  const items = rows(rec.evidence?.items) as Partial<z.output<typeof EvidenceItem>>[];
  const files = [...rows(rec.attachments), ...items.flatMap((item) => rows(item?.attachments))];
  if (files.length > LIMITS.attachments) {
    ctx.addIssue({
      code: "too_big",
      maximum: LIMITS.attachments,
      origin: "array",
      path: ["attachments"],
      message: "too_many",
    });
  }
}

/** What a submitter sends, and what is stored (the server adds `language`, ids and the workflow fields). */
export const RecommendationInput = RecommendationShape.superRefine(coherent, { when: isObject });
export type RecommendationInput = z.output<typeof RecommendationInput>;

/**
 * The part of a recommendation stored in clear: what staff may correct. The
 * submitter's contact details and safety notes are sealed and stay as sent;
 * the files are their own (a correction keeps them).
 */
export const CorrectedRecord = RecommendationShape.omit({ attachments: true })
  .extend({
    submitter: RecommendationShape.shape.submitter.omit({
      contact_name: true,
      contact_email: true,
      contact_phone: true,
      notify: true,
    }),
    safety: Safety.omit({ notes: true }),
  })
  .superRefine(coherent, { when: isObject });
export type CorrectedRecord = z.output<typeof CorrectedRecord>;

/** A version-1 recommendation as version 2: its target becomes the first of the targets, nothing is dropped. */
export function upgrade(v1: RecommendationV1): RecommendationInput {
  const { target, conduct, evidence, ...rest } = v1;
  return {
    ...rest,
    schema_version: 2 as const,
    co_signers: [],
    targets: [{ ...target, addresses: [] }],
    relations: [],
    conduct: { ...conduct, involvement: [conduct.involvement], victim_profiles: [], incidents: [] },
    evidence: { ...evidence, items: [] },
  };
}

/** The columns D1 indexes a recommendation by (its first target names it in the queue). */
export function indexColumns(
  rec: Pick<RecommendationInput, "targets" | "conduct" | "jurisdictions"> & {
    submitter: { country: string };
    safety: { risk_level: string };
  },
) {
  const lead = rec.targets[0];
  if (!lead) throw new Error("a recommendation without a target");
  return {
    targetKind: lead.kind,
    targetName: lead.name,
    targetNameLatin: lead.name_latin ?? null,
    targetNames: rec.targets
      .flatMap((t) => [t.name, t.name_latin ?? ""])
      .filter(Boolean)
      .join("\n"),
    submitterCountry: rec.submitter.country,
    conductCountry: rec.conduct.country,
    risk: rec.safety.risk_level,
    categories: rec.conduct.categories,
    jurisdictions: rec.jurisdictions as readonly string[],
  };
}

/** Whether a stored or sent recommendation is version 1 (`target`, no `targets`). */
export function isVersion1(body: unknown): boolean {
  return typeof body === "object" && body !== null && "target" in body && !("targets" in body);
}

/**
 * Either version, parsed and as version 2. A version-1 body's errors name
 * version 1's fields, which is what its sender wrote.
 */
export function parseAnyVersion(
  body: unknown,
): { success: true; data: RecommendationInput } | { success: false; error: z.ZodError } {
  if (!isVersion1(body)) return RecommendationInput.safeParse(body);
  const parsed = RecommendationV1.safeParse(body);
  return parsed.success ? { success: true, data: upgrade(parsed.data) } : parsed;
}
