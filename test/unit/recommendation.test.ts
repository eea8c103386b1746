import { describe, expect, it } from "vitest";
import { RecommendationV1 } from "../../worker/domain/recommendation.ts";
import { fieldProblems } from "../../worker/domain/validation.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

function problems(input: unknown) {
  const result = RecommendationV1.safeParse(input, { reportInput: true });
  return result.success ? [] : fieldProblems(result.error);
}

/** Removes one dotted path from a deep copy of the sample. */
function without(path: string) {
  const copy = structuredClone(sampleRecommendation()) as Record<string, unknown>;
  const parts = path.split(".");
  const last = parts.pop() as string;
  const parent = parts.reduce((o, p) => o[p] as Record<string, unknown>, copy);
  delete parent[last];
  return copy;
}

const REQUIRED = [
  "submitter.organization",
  "submitter.country",
  "submitter.contact_name",
  "submitter.contact_email",
  "submitter.may_be_named",
  "target.kind",
  "target.name",
  "conduct.categories",
  "conduct.involvement",
  "conduct.country",
  "conduct.period_start",
  "conduct.summary",
  "jurisdictions",
  "evidence.description",
  "safety.risk_level",
  "safety.consent_to_share",
];

describe("the recommendation schema", () => {
  it("accepts a complete recommendation", () => {
    expect(problems(sampleRecommendation())).toEqual([]);
  });

  it.each(REQUIRED)("rejects a recommendation without %s, naming that field", (path) => {
    expect(problems(without(path))).toEqual([{ path, key: "required", params: {} }]);
  });

  it.each([
    "submitter.contact_phone",
    "submitter.partners",
    "target.name_latin",
    "target.birth_date",
    "target.assets",
    "conduct.period_end",
    "conduct.victims",
    "evidence.exculpatory",
    "safety.notes",
  ])("accepts a recommendation without the optional %s", (path) => {
    expect(problems(without(path))).toEqual([]);
  });

  it("accepts names in any script", () => {
    const rec = sampleRecommendation({ targetName: "محمد بن سلمان" });
    rec.target.aliases = ["习近平", "মুহাম্মদ"];
    expect(problems(rec)).toEqual([]);
  });

  it("needs at least one category and one jurisdiction", () => {
    const rec = { ...sampleRecommendation(), jurisdictions: [] };
    rec.conduct.categories = [];
    expect(problems(rec).map((p) => [p.path, p.key])).toEqual([
      ["conduct.categories", "too_few"],
      ["jurisdictions", "too_few"],
    ]);
  });

  it("refuses values outside the lists", () => {
    const rec = sampleRecommendation() as Record<string, any>;
    rec.conduct.categories = ["torture", "jaywalking"];
    rec.submitter.country = "XX";
    rec.jurisdictions = ["us_glomag", "mars"];
    expect(problems(rec).map((p) => [p.path, p.key])).toEqual([
      ["submitter.country", "invalid_choice"],
      ["conduct.categories[1]", "invalid_choice"],
      ["jurisdictions[1]", "invalid_choice"],
    ]);
  });

  it("checks the summary length (50 to 20,000 characters)", () => {
    const rec = sampleRecommendation();
    rec.conduct.summary = "Too short.";
    expect(problems(rec)).toEqual([{ path: "conduct.summary", key: "too_short", params: { min: 50 } }]);
    rec.conduct.summary = "x".repeat(20_001);
    expect(problems(rec)).toEqual([{ path: "conduct.summary", key: "too_long", params: { max: 20_000 } }]);
  });

  it("takes partial dates and refuses impossible ones", () => {
    const rec = sampleRecommendation();
    for (const ok of ["1971", "1971-04", "2024-02-29"]) {
      rec.target.birth_date = ok;
      expect(problems(rec)).toEqual([]);
    }
    for (const bad of ["71", "1971-13", "2023-02-29", "1971/04/01", "April 1971"]) {
      rec.target.birth_date = bad;
      expect(problems(rec)).toEqual([{ path: "target.birth_date", key: "invalid_date", params: {} }]);
    }
  });

  it("refuses a period that ends before it starts, and allows one inside the same month", () => {
    const rec = sampleRecommendation();
    rec.conduct.period_start = "2022-03";
    rec.conduct.period_end = "2022-02-28";
    expect(problems(rec)).toEqual([{ path: "conduct.period_end", key: "end_before_start", params: {} }]);
    rec.conduct.period_end = "2022-03-01";
    expect(problems(rec)).toEqual([]);
    rec.conduct.period_end = "2022";
    expect(problems(rec)).toEqual([]);
  });

  it("takes only http(s) links and real email addresses", () => {
    const rec = sampleRecommendation();
    rec.evidence.links = ["javascript:alert(1)", "ftp://example.org/x", "https://example.org/ok"];
    rec.submitter.contact_email = "not an email";
    expect(problems(rec).map((p) => [p.path, p.key])).toEqual([
      ["submitter.contact_email", "invalid_email"],
      ["evidence.links[0]", "invalid_url"],
      ["evidence.links[1]", "invalid_url"],
    ]);
  });

  it("limits list sizes, identifiers' types and attachment ids", () => {
    const rec = sampleRecommendation() as Record<string, any>;
    rec.target.identifiers = [{ type: "dna", number: "1" }];
    rec.attachments = Array.from({ length: 21 }, (_, i) => `upload-id-0000000${String(i).padStart(2, "0")}`);
    expect(problems(rec).map((p) => [p.path, p.key])).toEqual([
      ["target.identifiers[0].type", "invalid_choice"],
      ["attachments", "too_many"],
    ]);
  });
});
