import { describe, expect, it } from "vitest";
import { byProgramme, type FilingFact, median, multilateralGaps } from "../../worker/domain/stats.ts";

const fact = (
  rec_id: string,
  programme: FilingFact["programme"],
  outcome: FilingFact["outcome"],
  days: number | null = null,
) => ({
  rec_id,
  programme,
  outcome,
  days,
});

describe("the coalition's figures", () => {
  it("take the median of an odd or even count, and none of nothing", () => {
    expect(median([])).toBeNull();
    expect(median([40])).toBe(40);
    expect(median([100, 40, 70])).toBe(70);
    expect(median([40, 100])).toBe(70);
  });

  it("count each programme's filings, answers, share designated and median days to designation", () => {
    const figures = byProgramme([
      fact("a", "us_glomag", "designated", 100),
      fact("b", "us_glomag", "designated", 40),
      fact("c", "us_glomag", "not_designated", 10),
      fact("d", "us_glomag", null),
      fact("a", "uk_global_human_rights", null),
    ]);
    expect(figures.us_glomag).toEqual({
      filed: 4,
      designated: 2,
      not_designated: 1,
      pending: 1,
      share_designated: 0.5,
      median_days: 70,
    });
    expect(figures.uk_global_human_rights).toMatchObject({
      filed: 1,
      pending: 1,
      share_designated: 0,
      median_days: null,
    });
    expect(figures.au_magnitsky).toMatchObject({ filed: 0, share_designated: null });
  });

  it("find the multilateral gaps: designated by some governments, with where each other one stands", () => {
    const gaps = multilateralGaps([
      fact("a", "us_glomag", "designated"),
      fact("a", "us_7031c", null),
      fact("a", "uk_global_human_rights", "not_designated"),
      fact("a", "eu_global_human_rights", null),
      fact("b", "ca_magnitsky", null),
      ...(
        ["us_glomag", "uk_global_human_rights", "eu_global_human_rights", "ca_magnitsky", "au_magnitsky"] as const
      ).map((p) => fact("c", p, "designated")),
    ]);
    // b has no designation, c has all five: neither is a gap. The US counts once, whatever its programmes.
    expect(gaps).toEqual([
      { rec_id: "a", designated_by: ["US"], awaiting: ["EU"], declined: ["GB"], not_filed: ["CA", "AU"] },
    ]);
  });
});
