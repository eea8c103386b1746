import { describe, expect, it } from "vitest";
import { byProgramme, gapOf, overallMedian } from "../../worker/domain/stats.ts";

describe("the coalition's figures", () => {
  it("give the median over every programme to a tenth of a day, and none of nothing", () => {
    expect(overallMedian([{ programme: null, days: 70.25 }])).toBe(70.3);
    expect(overallMedian([{ programme: null, days: null }])).toBeNull();
    expect(overallMedian([{ programme: "us_glomag", days: 40 }])).toBeNull();
  });

  it("count each programme's filings, answers, share designated and median days to designation", () => {
    const figures = byProgramme(
      [
        { programme: "us_glomag", outcome: "designated", n: 2 },
        { programme: "us_glomag", outcome: "not_designated", n: 1 },
        { programme: "us_glomag", outcome: null, n: 1 },
        { programme: "uk_global_human_rights", outcome: null, n: 1 },
      ],
      [
        { programme: "us_glomag", days: 70 },
        { programme: "uk_global_human_rights", days: null },
        { programme: null, days: 70 },
      ],
    );
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

  it("say where each government stands on a gap, by its best answer, the ones never asked included", () => {
    const answers = [
      { programme: "us_7031c", outcome: null },
      { programme: "us_glomag", outcome: "designated" },
      { programme: "eu_global_human_rights", outcome: null },
      { programme: "eu_global_human_rights", outcome: "not_designated" },
      { programme: "uk_global_human_rights", outcome: "not_designated" },
    ] as const;
    expect(gapOf("a", answers)).toEqual({
      rec_id: "a",
      designated_by: ["US"],
      awaiting: ["EU"],
      declined: ["GB"],
      not_filed: ["CA", "AU"],
    });
  });
});
