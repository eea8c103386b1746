import type { MiddlewareHandler } from "hono";
import { AppError } from "../domain/errors.ts";
import { ROLES, type Role } from "../domain/workflow.ts";
import type { AppEnv, Scope } from "../env.ts";
import { requireToken } from "./token-auth.ts";

/**
 * API routes staff use from their signed-in browser as well as from scripts:
 * a live session of one of `roles` passes (another role: 403); otherwise a
 * bearer token with `scope` (null: any token) is required.
 */
export function requireStaffOrToken(scope: Scope | null, roles: readonly Role[] = ROLES): MiddlewareHandler<AppEnv> {
  const token = requireToken(scope);
  return async (c, next) => {
    const staff = c.get("staff");
    if (staff && !roles.includes(staff.role)) throw new AppError(403, "Your role may not use this; ask a coordinator.");
    if (staff) return next();
    if (!c.req.header("Authorization")) throw new AppError(401, "Sign in or send a bearer token.");
    return token(c, next);
  };
}
