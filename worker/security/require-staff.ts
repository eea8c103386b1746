import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../domain/errors.ts";
import type { AppEnv, StaffMember } from "../env.ts";

/** Pages for staff only: without a session, a redirect to the sign-in page that comes back here. */
export function requireStaff(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("staff")) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    await next();
  };
}

/** The signed-in staff member on a route behind requireStaff(). */
export function signedIn(c: Context<AppEnv>): StaffMember {
  const staff = c.get("staff");
  if (!staff) throw new AppError(401, "Sign in first.");
  return staff;
}
