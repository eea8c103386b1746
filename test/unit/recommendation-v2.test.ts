import { describe, expect, it } from "vitest";
import { parseAnyVersion, RecommendationInput, RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

function v2() {
  return upgrade(RecommendationV1.parse(sampleRecommendation()));
}

function issues(body: unknown): string[] {
  const result = RecommendationInput.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("case file version 2", () => {
  it("takes a version-1 recommendation whole: its target is the first target, its involvement a list", () => {
    const v1 = RecommendationV1.parse(sampleRecommendation());
    const upgraded = upgrade(v1);
    expect(RecommendationInput.parse(upgraded)).toEqual(upgraded);
    const { targets, conduct, evidence, schema_version, co_signers, relations, ...rest } = upgraded;
    expect(schema_version).toBe(2);
    expect([co_signers, relations]).toEqual([[], []]);
    // Nothing of version 1 is lost: every field is where version 2 keeps it.
    expect(targets).toEqual([{ ...v1.target, addresses: [] }]);
    const { involvement, victim_profiles, incidents, ...sameConduct } = conduct;
    expect({ ...sameConduct, involvement: involvement[0] }).toEqual(v1.conduct);
    expect([victim_profiles, incidents, involvement.length]).toEqual([[], [], 1]);
    const { items, ...sameEvidence } = evidence;
    expect([sameEvidence, items]).toEqual([v1.evidence, []]);
    const { target: _t, conduct: _c, evidence: _e, ...restOfV1 } = v1;
    expect(rest).toEqual(restOfV1);
  });

  it("parses either version into version 2, naming the fields of the version sent", () => {
    expect(parseAnyVersion(sampleRecommendation())).toMatchObject({ success: true, data: { schema_version: 2 } });
    expect(parseAnyVersion(v2())).toMatchObject({ success: true, data: { schema_version: 2 } });
    const broken = { ...sampleRecommendation(), target: { kind: "person" } };
    const result = parseAnyVersion(broken);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path.join("."))).toContain("target.name");
  });

  it("relates targets only to targets named, or to someone named in the relation", () => {
    const rec = v2();
    rec.targets.push({ ...rec.targets[0], name: "Unit 00000", kind: "entity" } as (typeof rec.targets)[number]);
    rec.relations = [
      { from: 0, to: 1, kind: "commands" },
      { from: 1, to: 5, kind: "owns" },
      { from: 0, to: null, kind: "family" },
      { from: 0, to: 0, kind: "associate" },
    ];
    expect(issues(rec)).toEqual([
      "relations.1.to: unknown_target",
      "relations.2.name: required",
      "relations.3.to: unknown_target",
    ]);
  });

  it("has 'not sure' answers: no start date when it is unknown, several or unknown involvement, undecided programmes", () => {
    const rec = v2();
    rec.conduct.period_start = undefined;
    rec.conduct.period_end = undefined;
    expect(issues(rec)).toEqual(["conduct.period_start: required"]);
    rec.conduct.period_unknown = true;
    rec.conduct.involvement = ["ordered", "benefited"];
    expect(issues(rec)).toEqual([]);
    rec.conduct.involvement = ["unknown"];
    rec.jurisdictions = ["undecided"];
    expect(issues(rec)).toEqual([]);
    expect(issues({ ...rec, jurisdictions: ["undecided", "us_glomag"] }).length).toBeGreaterThan(0);
  });

  it("keeps to twenty files in all, counting the files of every evidence item", () => {
    const rec = v2();
    const id = (n: number) => `upload-${String(n).padStart(12, "0")}`;
    rec.attachments = Array.from({ length: 12 }, (_, n) => id(n));
    rec.evidence.items = [
      {
        kind: "testimony",
        description: "Statement of a released detainee",
        attachments: Array.from({ length: 9 }, (_, n) => id(100 + n)),
        consent: { governments: true, public: false },
      },
    ];
    expect(issues(rec)).toEqual(["attachments: too_many"]);
    rec.evidence.items[0]?.attachments.pop();
    expect(issues(rec)).toEqual([]);
  });
});
