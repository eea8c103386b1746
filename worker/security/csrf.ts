import type { MiddlewareHandler } from "hono";
import { timingSafeEqual, toHex } from "../domain/encoding.ts";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import { hmac, hmacKey } from "./derived-keys.ts";

/**
 * Staff forms carry a token tied to the session (an HMAC of its hashed id),
 * on top of the Origin check and SameSite=Strict cookies: a forged form
 * needs a secret that never leaves the signed-in person's pages.
 */
export async function csrfToken(env: Env, sessionIdHash: string): Promise<string> {
  return toHex(await hmac(await hmacKey(env.DATA_KEY, "csrf"), sessionIdHash));
}

/** Refuses (403) a form post from a signed-in session that lacks its token. */
export function requireCsrfToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const staff = c.get("staff");
    if (c.req.method === "POST" && staff?.csrf) {
      const form = await c.req.parseBody({ all: true });
      const sent = typeof form._csrf === "string" ? form._csrf : "";
      if (!timingSafeEqual(sent, staff.csrf)) throw new AppError(403, "The form has expired; reload the page.");
    }
    await next();
  };
}
