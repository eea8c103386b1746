import type { Scope } from "./scopes.ts";
import type { Role } from "./workflow.ts";

/**
 * Who is asking, as far as seeing things goes: a signed-in staff member (by
 * role), or a token (by the scopes it really has, already bounded by its
 * owner's role, and by that owner's role).
 */
export type Viewer =
  | { kind: "staff"; role: Role }
  | { kind: "token"; scopes: ReadonlySet<Scope>; ownerRole: Role | null };

/**
 * The one rule behind what reviewers are not given: a submitter's contact
 * details and safety notes, files exactly as submitted, and files that keep
 * their metadata until a coordinator releases them. Coordinators and admins
 * see them; a token sees what its scopes (and its owner) allow.
 */
export function sees(viewer: Viewer, what: "contact" | "originals" | "uncleaned"): boolean {
  if (viewer.kind === "staff") return viewer.role !== "reviewer";
  if (what === "uncleaned") {
    return viewer.scopes.has("originals") || (viewer.ownerRole !== null && viewer.ownerRole !== "reviewer");
  }
  return viewer.scopes.has(what);
}
