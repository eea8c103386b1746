import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import {
  deleteSession,
  deleteSessionsOf,
  findActiveStaffByEmail,
  findSession,
  replaceSessions,
  touchSession,
} from "../db/staff.ts";
import { AppError } from "../domain/errors.ts";
import { isStaffLocale, type StaffLocale } from "../domain/locales.ts";
import type { AppEnv } from "../env.ts";
import { accessConfigured, accessEmail } from "./access.ts";
import { csrfToken } from "./csrf.ts";
import { newSecret, secretHash } from "./secrets.ts";

/**
 * Staff sessions: a random id in a `__Host-` cookie, stored only as its hash,
 * ended by an idle timeout and an absolute one.
 */
export const SESSION_COOKIE = "__Host-session";
export const IDLE_MINUTES = 60;
export const ABSOLUTE_HOURS = 12;

/** Only refresh last-seen when it is this stale, so every page view is not a D1 write. */
const TOUCH_AFTER_MS = 60_000;

/** Signs `staffId` in here, and out of every other place: a stolen session does not outlive a fresh sign-in. */
export async function startSession(c: Context<AppEnv>, staffId: string): Promise<void> {
  const id = newSecret("ses");
  await replaceSessions(c.env.DB, await secretHash(id), staffId, new Date().toISOString());
  setCookie(c, SESSION_COOKIE, id, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Strict",
    maxAge: ABSOLUTE_HOURS * 3600,
  });
}

/** Signs out here, or (`everywhere`) in every place this person is signed in. */
export async function endSession(c: Context<AppEnv>, everywhere = false): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  const staff = c.get("staff");
  if (everywhere && staff) await deleteSessionsOf(c.env.DB, staff.id);
  else if (id) await deleteSession(c.env.DB, await secretHash(id));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

/**
 * A request that a staff member's browser sends with its credentials (cookie
 * or Access) but that another site started: refused whatever its content
 * type, JSON included. Browsers mark every request with Sec-Fetch-Site, and
 * cross-origin fetches and form posts with Origin. Our pages send no
 * referrer, so the browser's own form posts say `Origin: null` (with
 * `Sec-Fetch-Site: same-origin`): that is not another site.
 */
function crossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site === "cross-site") return true;
  const origin = c.req.header("Origin");
  return Boolean(origin) && origin !== "null" && origin !== new URL(c.req.url).origin && site !== "same-origin";
}

/** The staff member's own choices as the pages use them (an unknown language reads as English). */
function staffSettings(row: { locale: string; mail: boolean }): { locale: StaffLocale; mail: boolean } {
  return { locale: isStaffLocale(row.locale) ? row.locale : "en", mail: row.mail };
}

/** Sets `staff` when the request carries a live session (or a valid Access assertion); never refuses by itself. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const assertion = c.req.header("Cf-Access-Jwt-Assertion");
    if (assertion && accessConfigured(c.env)) {
      const email = await accessEmail(c.env, assertion);
      const member = email ? await findActiveStaffByEmail(c.env.DB, email) : undefined;
      if (member) {
        if (crossSite(c)) throw new AppError(403, "Requests from another site are refused.");
        const csrf = await csrfToken(c.env, await secretHash(assertion));
        c.set("staff", { ...staffSettings(member), id: member.id, email: member.email, role: member.role, csrf });
        return next();
      }
    }
    const id = getCookie(c, SESSION_COOKIE);
    if (id) {
      const idHash = await secretHash(id);
      const found = await findSession(c.env.DB, idHash);
      const now = Date.now();
      const alive =
        found &&
        now - Date.parse(found.lastSeenAt) < IDLE_MINUTES * 60_000 &&
        now - Date.parse(found.createdAt) < ABSOLUTE_HOURS * 3_600_000;
      if (found && alive) {
        if (crossSite(c)) throw new AppError(403, "Requests from another site are refused.");
        const csrf = await csrfToken(c.env, idHash);
        c.set("staff", { ...staffSettings(found), id: found.staffId, email: found.email, role: found.role, csrf });
        if (now - Date.parse(found.lastSeenAt) > TOUCH_AFTER_MS) {
          await touchSession(c.env.DB, idHash, new Date(now).toISOString());
        }
      } else if (found) {
        await deleteSession(c.env.DB, idHash);
      }
    }
    await next();
  };
}
