import { describe, expect, it } from "vitest";
import { sees, type Viewer } from "../../worker/domain/access.ts";
import type { Scope } from "../../worker/domain/scopes.ts";
import type { Role } from "../../worker/domain/workflow.ts";

function token(scopes: Scope[], ownerRole: Role | null = "coordinator"): Viewer {
  return { kind: "token", scopes: new Set(scopes), ownerRole };
}

describe("what reviewers are not given, in one rule", () => {
  it("gives sessions by role: coordinators and admins see contact details, originals and uncleaned files; reviewers none", () => {
    for (const what of ["contact", "originals", "uncleaned"] as const) {
      expect(sees({ kind: "staff", role: "reviewer" }, what), what).toBe(false);
      expect(sees({ kind: "staff", role: "coordinator" }, what), what).toBe(true);
      expect(sees({ kind: "staff", role: "admin" }, what), what).toBe(true);
    }
  });

  it("gives tokens by scope, and uncleaned files to tokens of coordinators or with originals", () => {
    expect(sees(token(["export"]), "contact")).toBe(false);
    expect(sees(token(["export", "contact"]), "contact")).toBe(true);
    expect(sees(token(["export"]), "originals")).toBe(false);
    expect(sees(token(["export"]), "uncleaned")).toBe(true);
    expect(sees(token(["export"], "reviewer"), "uncleaned")).toBe(false);
    expect(sees(token(["export", "originals"], null), "uncleaned")).toBe(true);
    expect(sees(token(["export"], null), "uncleaned")).toBe(false);
  });
});
