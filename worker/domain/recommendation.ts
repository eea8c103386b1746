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
export const CATEGORIES = [
  "extrajudicial_killing",
  "torture",
  "enforced_disappearance",
  "arbitrary_detention",
  "sexual_violence",
  "forced_labour",
  "trafficking",
  "attacks_on_defenders",
  "repression_of_expression_assembly",
  "bribery",
  "misappropriation",
  "expropriation",
  "procurement_corruption",
  "resource_corruption",
  "laundering",
  "other",
] as const;
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

/** What a submitter sends (the server adds `language`, ids and the workflow fields). */
export const RecommendationInput = z.object({
  submitter: Submitter,
  target: Target,
  conduct: Conduct,
  jurisdictions: z.array(z.enum(JURISDICTIONS)).min(1).max(JURISDICTIONS.length),
  evidence: Evidence,
  safety: Safety,
  attachments: AttachmentIds,
});

export type RecommendationInput = z.output<typeof RecommendationInput>;

/**
 * The part of a recommendation stored in clear: what staff may correct. The
 * submitter's contact details and safety notes are sealed and stay as sent;
 * the files are their own (a correction keeps them).
 */
export const CorrectedRecord = RecommendationInput.omit({ attachments: true }).extend({
  submitter: Submitter.omit({ contact_name: true, contact_email: true, contact_phone: true }),
  safety: Safety.omit({ notes: true }),
});
export type CorrectedRecord = z.output<typeof CorrectedRecord>;

export const Language = z.enum(LOCALES);
