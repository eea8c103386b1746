import type { Filing, FilingOutcome, Outcome } from "../../worker/domain/filings.ts";

/** A filing with the US, awaiting an answer, as the workflow keeps it. */
export function sampleFiling(extra: Partial<Filing> = {}): Filing {
  return {
    id: "f1",
    programme: "us_glomag",
    filed_on: "2026-01-10",
    channel: "email",
    addressee: "OFAC",
    government_reference: null,
    note: null,
    packet_sha256: null,
    filed_by: "c1@example.org",
    outcome: null,
    follow_up_due: false,
    ...extra,
  };
}

/** A government's answer to a filing. */
export function answered(outcome: Outcome): FilingOutcome {
  return { outcome, on: "2026-06-01", targets: null, list_reference: null, source_url: null, by: "c1@example.org" };
}
