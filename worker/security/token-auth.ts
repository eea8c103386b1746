import type { MiddlewareHandler } from "hono";
import { findToken, touchToken } from "../db/staff.ts";
import { AppError } from "../domain/errors.ts";
import { effectiveScopes, SCOPES, type Scope } from "../domain/scopes.ts";
import type { AppEnv } from "../env.ts";
import { secretHash } from "./secrets.ts";

/**
 * Requires `Authorization: Bearer <token>` from `npm run token` with `scope`
 * (null: any token). Missing, unknown, expired or revoked → 401; lacking the
 * scope → 403.
 */
export function requireToken(scope: Scope | null): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError(401, "A bearer token is required.");
    const found = await findToken(c.env.DB, await secretHash(match[1]));
    const now = new Date().toISOString();
    // A token acts as its owner: a disabled owner's tokens stop working with them.
    const ownerGone = found?.ownerId && (!found.owner || found.owner.disabledAt);
    if (!found || found.revokedAt || (found.expiresAt && found.expiresAt <= now) || ownerGone) {
      throw new AppError(401, "The token is unknown, expired or revoked.");
    }
    const owner = found.owner ? { id: found.owner.id, email: found.owner.email, role: found.owner.role } : null;
    const granted = found.scopes.split(",").filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
    const scopes = effectiveScopes(granted, owner?.role ?? null);
    if (scope && !scopes.has(scope)) {
      const why = granted.includes(scope) ? " (its owner may not use it, or it has no owner)" : "";
      throw new AppError(403, `The token lacks the "${scope}" scope${why}.`);
    }
    c.set("token", { id: found.id, name: found.name, scopes, owner });
    // Last-used to the minute is enough, and spares a D1 write on every call of a paging client.
    if (!found.lastUsedAt || Date.parse(now) - Date.parse(found.lastUsedAt) > 60_000) {
      c.executionCtx.waitUntil(touchToken(c.env.DB, found.id, now));
    }
    await next();
  };
}
