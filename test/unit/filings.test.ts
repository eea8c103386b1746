import { describe, expect, it } from "vitest";
import {
  dueForFollowUp,
  type Filing,
  FilingInput,
  followUpAt,
  nextFollowUp,
  OutcomeInput,
  parseFollowUpDays,
  stepOfFilings,
} from "../../worker/domain/filings.ts";
import { answered, sampleFiling } from "../helpers/filings.ts";

const filing = (id: string, extra: Partial<Filing> = {}): Filing => sampleFiling({ id, ...extra });

describe("the step the filings put a recommendation in", () => {
  it("is filed while a government has still to answer; then designated if any designated, else not designated", () => {
    expect(stepOfFilings([])).toBe("filed");
    expect(stepOfFilings([filing("a")])).toBe("filed");
    expect(stepOfFilings([filing("a", { outcome: answered("not_designated") }), filing("b")])).toBe("filed");
    expect(stepOfFilings([filing("a", { outcome: answered("designated") }), filing("b")])).toBe("filed");
    expect(
      stepOfFilings([
        filing("a", { outcome: answered("designated") }),
        filing("b", { outcome: answered("not_designated") }),
      ]),
    ).toBe("designated");
    expect(
      stepOfFilings([
        filing("a", { outcome: answered("not_designated") }),
        filing("b", { outcome: answered("not_designated") }),
      ]),
    ).toBe("not_designated");
  });
});

describe("follow-ups", () => {
  it("fall due FOLLOW_UP_DAYS after filing, only for filings without an answer, once", () => {
    const days = 90;
    const waiting = filing("a", { filed_on: "2026-01-01" });
    expect(new Date(followUpAt(waiting, days)).toISOString()).toBe("2026-04-01T00:00:00.000Z");
    const before = Date.parse("2026-03-31T23:59:59Z");
    const after = Date.parse("2026-04-01T00:00:00Z");
    expect(dueForFollowUp([waiting], before, days)).toEqual([]);
    expect(dueForFollowUp([waiting], after, days).map((f) => f.id)).toEqual(["a"]);
    expect(dueForFollowUp([{ ...waiting, outcome: answered("designated") }], after, days)).toEqual([]);
    expect(dueForFollowUp([{ ...waiting, follow_up_due: true }], after, days)).toEqual([]);
    expect(nextFollowUp([waiting, filing("b", { filed_on: "2025-12-01" })], days)).toBe(
      Date.parse("2026-03-01T00:00:00Z"),
    );
    expect(nextFollowUp([{ ...waiting, outcome: answered("not_designated") }], days)).toBeNull();
  });

  it("read FOLLOW_UP_DAYS as a positive whole number, else 90", () => {
    expect(parseFollowUpDays("30")).toBe(30);
    for (const bad of [undefined, "", "0", "-5", "2.5", "soon"]) expect(parseFollowUpDays(bad)).toBe(90);
  });
});

describe("what a coordinator may enter", () => {
  it("takes a filing with a real date and a known programme and channel; empty optional fields are null", () => {
    const ok = FilingInput.parse({
      programme: "uk_global_human_rights",
      filed_on: "2026-02-28",
      channel: "portal",
      addressee: " FCDO sanctions unit ",
      government_reference: "",
    });
    expect(ok).toMatchObject({ addressee: "FCDO sanctions unit", government_reference: null, note: null });
    const bad = FilingInput.safeParse({ programme: "moon", filed_on: "2026-02-30", channel: "pigeon", addressee: "" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "addressee",
      "channel",
      "filed_on",
      "programme",
    ]);
  });

  it("takes an outcome with an http(s) source only", () => {
    expect(OutcomeInput.parse({ outcome: "designated", on: "2026-06-12" })).toMatchObject({ source_url: null });
    expect(
      OutcomeInput.safeParse({ outcome: "designated", on: "2026-06-12", source_url: "https://ofac.treasury.gov/x" })
        .success,
    ).toBe(true);
    for (const url of ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/a"]) {
      expect(OutcomeInput.safeParse({ outcome: "designated", on: "2026-06-12", source_url: url }).success).toBe(false);
    }
  });
});
