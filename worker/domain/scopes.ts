import type { Role } from "./workflow.ts";

/**
 * What an API token may do: read and export, see contact details, fetch
 * original files, act on the workflow, and take or restore a whole backup.
 */
export const SCOPES = ["export", "contact", "originals", "review", "backup"] as const;
export type Scope = (typeof SCOPES)[number];

/** What reviewers never see, so neither does a token that acts for one. */
const COORDINATOR_SCOPES: readonly Scope[] = ["contact", "originals"];

/**
 * The scopes a token really has: what it was granted, within what its owner
 * may do. A token acts as its owner, so one without an owner (made before
 * tokens had owners) keeps what it was granted for reading but can never act
 * on the workflow: there is nobody to count toward two-person approval.
 */
export function effectiveScopes(granted: readonly Scope[], ownerRole: Role | null): Set<Scope> {
  return new Set(
    granted.filter((scope) => {
      if (scope === "review") return ownerRole !== null;
      // Everything, as stored, read and written: only the ownerless token `npm run backup` and
      // `npm run restore` make in D1 for their run, which takes the account's access to D1 anyway.
      if (scope === "backup") return ownerRole === null;
      if (COORDINATOR_SCOPES.includes(scope)) return ownerRole !== "reviewer";
      return true;
    }),
  );
}

/** Scopes a token for an owner of `role` may be created with (the token command refuses the others). */
export function grantableScopes(role: Role): Scope[] {
  return SCOPES.filter((scope) => effectiveScopes([scope], role).has(scope));
}
