import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { findToken, touchToken } from "../db/staff.ts";
import { type AppEnv, SCOPES, type Scope } from "../env.ts";
import { secretHash } from "./secrets.ts";

/**
 * Requires `Authorization: Bearer <token>` from `npm run token` with `scope`.
 * Missing, unknown, expired or revoked → 401; lacking the scope → 403.
 */
export function requireToken(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new HTTPException(401, { message: "A bearer token is required." });
    const found = await findToken(c.env.DB, await secretHash(match[1]));
    const now = new Date().toISOString();
    if (!found || found.revokedAt || (found.expiresAt && found.expiresAt <= now)) {
      throw new HTTPException(401, { message: "The token is unknown, expired or revoked." });
    }
    const scopes = new Set(
      found.scopes.split(",").filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    );
    if (!scopes.has(scope)) throw new HTTPException(403, { message: `The token lacks the "${scope}" scope.` });
    c.set("token", { id: found.id, name: found.name, scopes });
    // Last-used to the minute is enough, and spares a D1 write on every call of a paging client.
    if (!found.lastUsedAt || Date.parse(now) - Date.parse(found.lastUsedAt) > 60_000) {
      c.executionCtx.waitUntil(touchToken(c.env.DB, found.id, now));
    }
    await next();
  };
}
