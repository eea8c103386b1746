import type { MiddlewareHandler } from "hono";
import type { AppEnv, Scope } from "../env.ts";
import { apiError } from "../http-errors.ts";
import { requireToken } from "./token-auth.ts";

/**
 * API routes staff use from their signed-in browser as well as from scripts:
 * a live session passes; otherwise a bearer token with `scope` is required.
 */
export function requireStaffOrToken(scope: Scope): MiddlewareHandler<AppEnv> {
  const token = requireToken(scope);
  return async (c, next) => {
    if (c.get("staff")) return next();
    if (!c.req.header("Authorization")) throw apiError(401, "Sign in or send a bearer token.");
    return token(c, next);
  };
}
