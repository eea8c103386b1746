import { describe, expect, it } from "vitest";
import { formToObject, valueAt } from "../../worker/domain/form-input.ts";

describe("form fields → the recommendation's shape", () => {
  it("nests dotted names, collects [] lists and [i] rows, and reads yes/no as booleans", () => {
    const object = formToObject([
      ["submitter.organization", " Org "],
      ["submitter.may_be_named", "no"],
      ["safety.consent_to_share", "yes"],
      ["target.aliases[]", "One"],
      ["target.aliases[]", ""],
      ["target.aliases[]", "Two"],
      ["target.identifiers[0].type", "passport"],
      ["target.identifiers[0].number", "X1"],
      ["target.identifiers[1].type", ""],
      ["target.identifiers[1].number", ""],
      ["target.identifiers[2].number", "Z3"],
      ["conduct.categories[]", "torture"],
      ["conduct.categories[]", "bribery"],
      ["_token", "abc"],
      ["_add", "target.aliases"],
    ]);
    expect(object).toEqual({
      submitter: { organization: "Org", may_be_named: false },
      safety: { consent_to_share: true },
      target: {
        aliases: ["One", "Two"],
        identifiers: [{ type: "passport", number: "X1" }, { number: "Z3" }],
      },
      conduct: { categories: ["torture", "bribery"] },
    });
  });

  it("drops blank fields, so a blank optional field is absent and a blank required one is missing", () => {
    expect(
      formToObject([
        ["target.name_latin", "   "],
        ["target.name", "Name"],
      ]),
    ).toEqual({ target: { name: "Name" } });
  });

  it("cannot be used to reach Object.prototype or to build huge arrays", () => {
    const object = formToObject([
      ["__proto__.polluted", "yes"],
      ["target.__proto__.polluted", "yes"],
      ["constructor.prototype.polluted", "yes"],
      ["target.identifiers[999].number", "1"],
      ["target.aliases[]", "ok"],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(object).toEqual({ target: { aliases: ["ok"] } });
  });

  it("survives names that clash (a value where a group was expected)", () => {
    const object = formToObject([
      ["target", "text"],
      ["target.name", "Name"],
      ["target.aliases[]", "a"],
      ["target.aliases[0].x", "b"],
    ]);
    expect(valueAt(object, "target.name")).toBe("Name");
  });

  it("reads values back by the same paths the errors use", () => {
    const object = { target: { identifiers: [{ number: "A" }, { number: "B" }], aliases: ["x"] } };
    expect(valueAt(object, "target.identifiers[1].number")).toBe("B");
    expect(valueAt(object, "target.aliases[0]")).toBe("x");
    expect(valueAt(object, "target.positions[0].title")).toBeUndefined();
  });
});

describe("numbers and 'none of these' in the case file's form", () => {
  it("reads a target's place and a count as numbers, 'null' as none, and leaves anything else for the schema to refuse", () => {
    const values = formToObject([
      ["relations[0].from", "1"],
      ["relations[0].to", "null"],
      ["conduct.incidents[0].victims_count", "12"],
      ["conduct.incidents[1].victims_count", "about 12"],
      ["conduct.period_unknown", "yes"],
      ["co_signers[0].may_be_named", "no"],
    ]);
    expect(values).toEqual({
      relations: [{ from: 1, to: null }],
      conduct: { incidents: [{ victims_count: 12 }, { victims_count: "about 12" }], period_unknown: true },
      co_signers: [{ may_be_named: false }],
    });
  });
});
