import { describe, expect, it } from "vitest";
import { CATEGORIES, JURISDICTIONS } from "../../worker/domain/recommendation.ts";
import { CORRUPTION, HUMAN_RIGHTS, PROGRAMMES, type RegimeCase, regimeWarnings } from "../../worker/domain/regimes.ts";

const general = { kind: "person" as const, positions: [{ public_official: false }] };
const official = { kind: "person" as const, positions: [{ public_official: true }] };
const company = { kind: "entity" as const };

function problems(rec: RegimeCase) {
  return regimeWarnings(rec).map((w) => `${w.programme} ${w.path} ${w.problem}`);
}

describe("the regime table", () => {
  it("knows every programme, and sorts every category but 'other' into human rights or corruption", () => {
    expect(Object.keys(PROGRAMMES).sort()).toEqual([...JURISDICTIONS].sort());
    expect([...HUMAN_RIGHTS, ...CORRUPTION, "other"].sort()).toEqual([...CATEGORIES].sort());
  });

  it("warns when the EU is asked about bribery alone: its global regime has no corruption limb", () => {
    expect(
      problems({ jurisdictions: ["eu_global_human_rights"], categories: ["bribery"], targets: [official] }),
    ).toEqual(["eu_global_human_rights jurisdictions[0] category"]);
    expect(
      problems({ jurisdictions: ["eu_global_human_rights"], categories: ["bribery", "torture"], targets: [official] }),
    ).toEqual([]);
  });

  it("warns when the UK human-rights regime is asked about conduct outside life, torture and forced labour", () => {
    const rec = { jurisdictions: ["uk_global_human_rights"], targets: [general] };
    expect(problems({ ...rec, categories: ["arbitrary_detention"] })).toEqual([
      "uk_global_human_rights jurisdictions[0] category",
    ]);
    expect(problems({ ...rec, categories: ["torture"] })).toEqual([]);
  });

  it("needs a public official for the anti-corruption limbs, but not for laundering the proceeds", () => {
    const rec = { jurisdictions: ["uk_global_anti_corruption", "us_glomag"], categories: ["bribery"] as const };
    expect(problems({ ...rec, targets: [general] })).toEqual([
      "uk_global_anti_corruption jurisdictions[0] official",
      "us_glomag jurisdictions[1] official",
    ]);
    expect(problems({ ...rec, targets: [general, official] })).toEqual([]);
    expect(problems({ ...rec, categories: ["laundering"], targets: [company] })).toEqual([]);
  });

  it("reaches only persons with 7031(c), and only officials or their immediate family", () => {
    const rec = { jurisdictions: ["us_7031c"], categories: ["torture"] as const };
    expect(problems({ ...rec, targets: [company] })).toEqual([
      "us_7031c targets[0].kind kind",
      "us_7031c jurisdictions[0] official",
    ]);
    expect(problems({ ...rec, targets: [general] })).toEqual(["us_7031c jurisdictions[0] official"]);
    expect(problems({ ...rec, targets: [official, general] })).toEqual([]);
    // The wife of an official, who is not a target himself.
    const family = [{ from: 0, to: null, kind: "family" }];
    expect(problems({ ...rec, categories: ["misappropriation"], targets: [general], relations: family })).toEqual([]);
  });

  it("does not judge 'other' conduct, an undecided choice or an unknown key", () => {
    expect(problems({ jurisdictions: ["eu_global_human_rights"], categories: ["other"], targets: [company] })).toEqual(
      [],
    );
    expect(problems({ jurisdictions: ["undecided"], categories: ["bribery"], targets: [company] })).toEqual([]);
  });
});
