import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { multilateralGaps } from "../../worker/db/stats.ts";
import { storedUnopened } from "../helpers/submit.ts";

/** A filing row as the object's projection writes it (only what the statistics read matters). */
async function filed(recId: string, programme: string, outcome: "designated" | "not_designated" | null) {
  await env.DB.prepare(
    `INSERT INTO filings (id, rec_id, programme, filed_on, channel, addressee, filed_by, outcome, outcome_on, event_seq)
     VALUES (?1, ?2, ?3, '2026-01-01', 'email', 'x', 'x@example.org', ?4, ?5, 1)`,
  )
    .bind(crypto.randomUUID(), recId, programme, outcome, outcome ? "2026-03-01" : null)
    .run();
}

describe("the multilateral gaps, counted in the database", () => {
  it("keep what some governments designated and not all, a government once whatever its programmes", async () => {
    const a = await storedUnopened("Gap Person A");
    const b = await storedUnopened("Gap Person B");
    const c = await storedUnopened("Gap Person C");
    const d = await storedUnopened("Gap Person D");
    await filed(a, "us_glomag", "designated");
    await filed(a, "us_7031c", null);
    await filed(a, "uk_global_human_rights", "not_designated");
    await filed(a, "uk_global_anti_corruption", "not_designated");
    await filed(a, "eu_global_human_rights", null);
    // No designation: no gap.
    await filed(b, "ca_magnitsky", null);
    // Designated by all five governments: no gap.
    for (const p of ["us_glomag", "uk_global_human_rights", "eu_global_human_rights", "ca_magnitsky", "au_magnitsky"])
      await filed(c, p, "designated");
    // Declined under one British programme, designated under the other: Britain designated.
    await filed(d, "uk_global_anti_corruption", "not_designated");
    await filed(d, "uk_global_human_rights", "designated");

    const gaps = await multilateralGaps(env.DB, 100);
    expect(gaps.count).toBe(2);
    expect(gaps.items).toEqual([
      {
        rec_id: a,
        designated_by: ["US"],
        awaiting: ["EU"],
        declined: ["GB"],
        not_filed: ["CA", "AU"],
        reference: expect.stringMatching(/^REC-/),
        target: "Gap Person A",
      },
      {
        rec_id: d,
        designated_by: ["GB"],
        awaiting: [],
        declined: [],
        not_filed: ["US", "EU", "CA", "AU"],
        reference: expect.stringMatching(/^REC-/),
        target: "Gap Person D",
      },
    ]);
    // All are counted; the first `listed`, in intake order, are listed.
    const one = await multilateralGaps(env.DB, 1);
    expect(one.count).toBe(2);
    expect(one.items.map((g) => g.rec_id)).toEqual([a]);
  });
});
