import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { randomBytes, toBase64Url } from "../domain/encoding.ts";
import { isLocale, type Locale } from "../domain/locales.ts";
import type { AppEnv } from "../env.ts";

/** What the public pages share: the locale in the path, and the one-time token a form carries. */

export const LOCALE = "/:locale{[a-z]{2}}";
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The path's locale; also remembered in a session cookie (gone when the browser closes: no lasting trace). */
export function pathLocale(c: Context<AppEnv>): Locale | undefined {
  const locale = c.req.param("locale");
  if (!isLocale(locale)) return undefined;
  if (getCookie(c, "lang") !== locale) setCookie(c, "lang", locale, { path: "/", sameSite: "Lax", secure: true });
  return locale;
}

/** A one-time token: a resend of the same form returns the first answer instead of a second recommendation. */
export function newToken(): string {
  return toBase64Url(randomBytes(16));
}

/** The token a form sent back, or a new one when it sent none that could be ours. */
export function sentToken(value: string | File | null): string {
  return typeof value === "string" && TOKEN.test(value) ? value : newToken();
}
