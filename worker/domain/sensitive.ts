import { isVersion1, type RecommendationInput, type RecommendationV1, upgrade } from "./recommendation.ts";

/** The fields of the recommendation marked sensitive, kept apart so they can be sealed. */
export interface SensitiveFields {
  contact_name: string;
  contact_email: string;
  contact_phone?: string;
  /** Whether they asked to be told by e-mail that a message awaits them. */
  notify?: boolean;
  safety_notes?: string;
  /** Random, sealed with the fields: it keeps the content hash from confirming a guess (domain/custody.ts). */
  salt?: string;
}

/** The part of a recommendation stored in clear (D1 `record`). */
export type OpenRecord = Omit<RecommendationInput, "submitter" | "safety"> & {
  submitter: Omit<RecommendationInput["submitter"], "contact_name" | "contact_email" | "contact_phone" | "notify">;
  safety: Omit<RecommendationInput["safety"], "notes">;
};

export function splitSensitive(input: RecommendationInput): { open: OpenRecord; sensitive: SensitiveFields } {
  const { contact_name, contact_email, contact_phone, notify, ...submitter } = input.submitter;
  const { notes, ...safety } = input.safety;
  return {
    open: { ...input, submitter, safety },
    // `notify` only when asked: a recommendation that did not ask seals exactly what it sealed before.
    sensitive: { contact_name, contact_email, contact_phone, ...(notify ? { notify } : {}), safety_notes: notes },
  };
}

/** The whole recommendation again; without `sensitive`, the sensitive fields are simply absent. */
export function joinSensitive(open: OpenRecord, sensitive?: SensitiveFields): OpenRecord | RecommendationInput {
  if (!sensitive) return open;
  return {
    ...open,
    submitter: {
      ...open.submitter,
      contact_name: sensitive.contact_name,
      contact_email: sensitive.contact_email,
      contact_phone: sensitive.contact_phone,
      ...(sensitive.notify ? { notify: sensitive.notify } : {}),
    },
    safety: { ...open.safety, notes: sensitive.safety_notes },
  };
}

/**
 * A stored record (the part in clear) as version 2, whichever version it was
 * stored in: records from before version 2 are read as if upgraded.
 */
export function readRecord(json: string): OpenRecord {
  const stored = JSON.parse(json);
  // A stored version-1 record lacks only the sealed fields, which upgrade() passes through untouched.
  return isVersion1(stored) ? (upgrade(stored as RecommendationV1) as OpenRecord) : (stored as OpenRecord);
}
