import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { designationMedians } from "../../worker/db/stats.ts";

/** A filing row as the object's projection writes it, answered `days` after it was filed (only what the medians read matters). */
async function filed(programme: string, outcome: "designated" | "not_designated" | null, days: number | null) {
  await env.DB.prepare(
    `INSERT INTO filings (id, rec_id, programme, filed_on, channel, addressee, filed_by, outcome, outcome_on, event_seq)
     VALUES (?1, ?2, ?3, '2026-01-01', 'email', 'x', 'x@example.org', ?4, date('2026-01-01', '+' || ?5 || ' days'), 1)`,
  )
    .bind(crypto.randomUUID(), crypto.randomUUID(), programme, outcome, days)
    .run();
}

const PROGRAMMES = ["us_glomag", "uk_global_human_rights", "ca_magnitsky"];

describe("the median days to designation, taken in the database", () => {
  it("take the middle of an odd count, the middle two of an even one, none of nothing, and over all", async () => {
    expect(await designationMedians(env.DB, PROGRAMMES)).toEqual([
      { programme: "us_glomag", days: null },
      { programme: "uk_global_human_rights", days: null },
      { programme: "ca_magnitsky", days: null },
      { programme: null, days: null },
    ]);
    for (const days of [100, 30, 70]) await filed("us_glomag", "designated", days);
    for (const days of [41, 10]) await filed("uk_global_human_rights", "designated", days);
    // Neither a refusal, nor a filing awaiting its answer, nor a designation with no date is counted.
    await filed("us_glomag", "not_designated", 1);
    await filed("ca_magnitsky", null, null);
    await filed("ca_magnitsky", "designated", null);

    expect(await designationMedians(env.DB, PROGRAMMES)).toEqual([
      { programme: "us_glomag", days: 70 },
      { programme: "uk_global_human_rights", days: 25.5 },
      { programme: "ca_magnitsky", days: null },
      // 10, 30, 41, 70, 100
      { programme: null, days: 41 },
    ]);
  });
});
