import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import {
  draftProblems,
  emptyCase,
  pageOf,
  pageProblems,
  pageStatus,
  withoutTarget,
  withPage,
} from "../../worker/domain/case-form.ts";
import { LOCALES } from "../../worker/domain/locales.ts";
import { RecommendationInput, RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

const whole = () => ({ ...upgrade(RecommendationV1.parse(sampleRecommendation())) });

describe("the case file as pages", () => {
  it("puts a page's answers in place of what the draft held for it, keeping the rest", () => {
    const draft = { ...emptyCase(), conduct: { summary: "kept", incidents: [{ description: "kept too" }] } };
    const next = withPage(draft, { section: "conduct" }, { conduct: { country: "SY" } });
    // The conduct page replaces its own fields; incidents belong to their own page.
    expect(next.conduct).toEqual({ country: "SY", incidents: [{ description: "kept too" }] });
    const withIncidents = withPage(next, { section: "incidents" }, {});
    expect(withIncidents.conduct).toEqual({ country: "SY" });
    const target = withPage(draft, { target: 0 }, { target: { name: "A" } });
    expect(withPage(target, { target: 1 }, { target: { name: "B" } }).targets).toEqual([{ name: "A" }, { name: "B" }]);
    // A target page beyond the next free one still appends, never leaves a hole.
    expect(withPage(target, { target: 5 }, { target: { name: "C" } }).targets).toHaveLength(2);
  });

  it("takes programmes named over 'not sure' when both are ticked", () => {
    const next = withPage(emptyCase(), { section: "programmes" }, { jurisdictions: ["undecided", "us_glomag"] });
    expect(next.jurisdictions).toEqual(["us_glomag"]);
    expect(withPage(emptyCase(), { section: "programmes" }, { jurisdictions: ["undecided"] }).jurisdictions).toEqual([
      "undecided",
    ]);
  });

  it("removes a target and renumbers the relations that remain", () => {
    const draft = {
      ...emptyCase(),
      targets: [{ name: "A" }, { name: "B" }, { name: "C" }],
      relations: [
        { from: 0, to: 1, kind: "family" },
        { from: 2, to: 0, kind: "commands" },
        { from: 2, to: null, kind: "owns", name: "Outside Co" },
      ],
    };
    const next = withoutTarget(draft, 1);
    expect(next.targets).toEqual([{ name: "A" }, { name: "C" }]);
    expect(next.relations).toEqual([
      { from: 1, to: 0, kind: "commands" },
      { from: 1, to: null, kind: "owns", name: "Outside Co" },
    ]);
  });

  it("gives each page its own problems, a target's under `target.`, every missing field of an empty part", () => {
    const problems = draftProblems({ ...emptyCase(), targets: [{ kind: "person", name: "A" }, { kind: "person" }] });
    expect(pageProblems(problems, { target: 1 }).map((p) => p.path)).toEqual(["target.name"]);
    expect(pageProblems(problems, { target: 0 })).toEqual([]);
    expect(pageProblems(problems, { section: "organisation" }).map((p) => p.path)).toEqual([
      "submitter.organization",
      "submitter.country",
      "submitter.contact_name",
      "submitter.contact_email",
      "submitter.may_be_named",
    ]);
    expect(pageProblems(problems, { section: "conduct" }).map((p) => p.path)).toContain("conduct.period_start");
    expect(pageProblems(problems, { section: "relations" })).toEqual([]);
  });

  it("marks pages not started, incomplete, completed or optional", () => {
    const rec = whole();
    const complete = { ...rec, schema_version: 2 as const };
    expect(RecommendationInput.safeParse(complete).success).toBe(true);
    expect(draftProblems(complete)).toEqual([]);
    expect(pageStatus(complete, [], { section: "conduct" })).toBe("completed");
    expect(pageStatus(complete, [], { section: "relations" })).toBe("optional");
    const { safety: _, ...noSafety } = complete;
    const problems = draftProblems(noSafety);
    expect(pageStatus(noSafety, problems, { section: "safety" })).toBe("not_started");
    const half = { ...complete, safety: { risk_level: "high" } };
    expect(pageStatus(half, draftProblems(half), { section: "safety" })).toBe("in_progress");
  });

  it("finds the page of any problem", () => {
    expect(pageOf("targets[3].aliases[0]")).toEqual({ target: 3 });
    expect(pageOf("conduct.incidents[0].description")).toEqual({ section: "incidents" });
    expect(pageOf("conduct.summary")).toEqual({ section: "conduct" });
    expect(pageOf("attachments")).toEqual({ section: "evidence" });
    expect(pageOf("impact")).toEqual({ section: "programmes" });
  });
});

/** Every leaf field of a zod schema, as the form names it (rows without numbers): `targets.positions.title`. */
function leaves(schema: unknown, path = ""): string[] {
  const def = (schema as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, inner]) =>
        leaves(inner, path ? `${path}.${key}` : key),
      );
    case "array":
      return leaves(def.element, path);
    case "optional":
    case "default":
    case "nullable":
      return leaves(def.innerType, path);
    case "union":
      return [...new Set((def.options as unknown[]).flatMap((option) => leaves(option, path)))];
    case "tuple":
      return leaves((def.items as unknown[])[0], path);
    default:
      return [path];
  }
}

describe("the case file's words", () => {
  it("has a label in every locale for every field a page can name in an error (never a raw key)", () => {
    // Not form fields: the version, and files tied to one evidence item (the API's).
    const notAsked = new Set(["schema_version", "evidence.items.attachments"]);
    const fields = leaves(RecommendationInput)
      .filter((path) => !notAsked.has(path))
      .map((path) => path.replace(/^targets\./, "target."));
    expect(fields).toContain("target.positions.public_official");
    expect(fields).toContain("evidence.items.consent.public");
    for (const locale of LOCALES) {
      const missing = fields.filter((path) => !(`field.${path}` in catalogues[locale]));
      expect(missing, locale).toEqual([]);
    }
  });
});
