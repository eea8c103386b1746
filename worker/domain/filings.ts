import { z } from "zod";
import { JURISDICTIONS, LIMITS, wellFormed } from "./recommendation.ts";

/**
 * Filings: what the coalition sent to which government, and what that
 * government did. A recommendation is filed once per programme (and again as
 * a follow-up); each filing gets its own outcome, and the step follows them.
 */

export const CHANNELS = ["email", "portal", "letter", "meeting", "other"] as const;
export const OUTCOMES = ["designated", "not_designated"] as const;
export type Programme = (typeof JURISDICTIONS)[number];
export type Outcome = (typeof OUTCOMES)[number];

/** Days a filing may wait for its outcome before it is due a follow-up, unless `FOLLOW_UP_DAYS` says otherwise. */
export const DEFAULT_FOLLOW_UP_DAYS = 90;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "invalid_date" })
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: "invalid_date",
    },
  );
const text = (max: number = LIMITS.shortText) => wellFormed(z.string().trim().min(1).max(max));
const optionalText = (max: number = LIMITS.shortText) =>
  wellFormed(z.string().trim().max(max))
    .optional()
    .transform((v) => v || null);

/** What a coordinator says about a filing. */
export const FilingInput = z.object({
  programme: z.enum(JURISDICTIONS),
  filed_on: day,
  channel: z.enum(CHANNELS),
  addressee: text(),
  government_reference: optionalText(),
  note: optionalText(LIMITS.longText),
  /** The SHA-256 of the packet sent, when it was one of ours. */
  packet_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { message: "invalid_sha256" })
    .optional()
    .transform((v) => v ?? null),
});
export type FilingInput = z.output<typeof FilingInput>;

/** What a coordinator says a government did with a filing. */
export const OutcomeInput = z.object({
  outcome: z.enum(OUTCOMES),
  on: day,
  /** The targets (by index) it concerns; all of them when left out. */
  targets: z.array(z.number().int().min(0).max(LIMITS.listItems)).max(LIMITS.listItems).optional(),
  list_reference: optionalText(),
  source_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional()
    .transform((v) => v ?? null),
});
export type OutcomeInput = z.output<typeof OutcomeInput>;

export interface FilingOutcome {
  outcome: Outcome;
  on: string;
  /** Target indexes; null for all of them. */
  targets: number[] | null;
  list_reference: string | null;
  source_url: string | null;
  by: string;
}

export interface Filing extends FilingInput {
  id: string;
  filed_by: string;
  outcome: FilingOutcome | null;
  /** Whether it waited past its follow-up date without an outcome (set once, by the object's alarm). */
  follow_up_due: boolean;
}

/**
 * The step the filings put a recommendation in: filed while any government
 * has still to answer; once every filing has its answer, designated if any
 * government designated, else not designated. (Who designated already shows
 * per filing, on the status page and in the statistics.)
 */
export function stepOfFilings(filings: readonly Filing[]): "filed" | "designated" | "not_designated" {
  if (filings.length === 0 || filings.some((f) => !f.outcome)) return "filed";
  return filings.some((f) => f.outcome?.outcome === "designated") ? "designated" : "not_designated";
}

/** When a filing without an outcome is due a follow-up (midnight UTC, `days` after it was filed). */
export function followUpAt(filing: Pick<Filing, "filed_on">, days: number): number {
  return Date.parse(`${filing.filed_on}T00:00:00Z`) + days * 86_400_000;
}

/** Filings still waiting for an answer, not yet marked, whose follow-up date has come. */
export function dueForFollowUp(filings: readonly Filing[], now: number, days: number): Filing[] {
  return filings.filter((f) => !f.outcome && !f.follow_up_due && followUpAt(f, days) <= now);
}

/** The next follow-up date among filings still waiting, or null. */
export function nextFollowUp(filings: readonly Filing[], days: number): number | null {
  const times = filings.filter((f) => !f.outcome && !f.follow_up_due).map((f) => followUpAt(f, days));
  return times.length > 0 ? Math.min(...times) : null;
}

/** Reads the `FOLLOW_UP_DAYS` setting: a positive whole number of days, else the default. */
export function parseFollowUpDays(value: string | undefined): number {
  const days = Number(value);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_FOLLOW_UP_DAYS;
}

/** The government behind each programme, as the lists' datasets name it (`us_ofac_sdn` → US). */
export const PROGRAMME_COUNTRY: Record<Programme, string> = {
  us_glomag: "US",
  us_7031c: "US",
  uk_global_human_rights: "GB",
  uk_global_anti_corruption: "GB",
  eu_global_human_rights: "EU",
  ca_magnitsky: "CA",
  au_magnitsky: "AU",
};

/** What the designation watch suggests for a filing awaiting its answer (JSON lists as text, as D1 keeps them). */
export interface Suggestion {
  filing_id: string;
  target_index: number;
  entity_id: string;
  rec_id: string;
  programme: string;
  name: string;
  score: number;
  reasons: string;
  datasets: string;
  programs: string;
  suggested_at: string;
}
