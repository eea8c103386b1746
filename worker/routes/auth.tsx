import { Hono } from "hono";
import { staffTranslator } from "../../web/i18n/index.ts";
import { LoginPage } from "../../web/pages/LoginPage.tsx";
import { page } from "../../web/render.ts";
import { findActiveStaffByEmail } from "../db/staff.ts";
import type { AppEnv } from "../env.ts";
import { burnPasswordWork, verifyPassword } from "../security/password.ts";
import { ACCOUNT_FAILURES, LOGIN_FAILURES } from "../security/rate-limit.ts";
import { endSession, startSession } from "../security/session.ts";
import { checkLimit, countHit } from "../security/throttle.ts";

/** Staff sign-in and sign-out (CONTRACT §6). */
export const auth = new Hono<AppEnv>();

/** Only same-site paths, so a crafted link cannot bounce a signed-in person elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : "/review";
}

auth.get("/login", (c) => {
  if (c.get("staff")) return c.redirect(safeNext(c.req.query("next")), 303);
  return page(c, <LoginPage t={staffTranslator()} next={safeNext(c.req.query("next"))} />);
});

auth.post("/login", async (c) => {
  const form = await c.req.parseBody();
  const email = typeof form.email === "string" ? form.email : "";
  const password = typeof form.password === "string" ? form.password : "";
  const clientBucket = await checkLimit(c, LOGIN_FAILURES);
  const accountBucket = await checkLimit(c, ACCOUNT_FAILURES, `account:${email.trim().toLowerCase()}`);
  const member = email ? await findActiveStaffByEmail(c.env.DB, email) : undefined;
  if (!member) await burnPasswordWork(password);
  if (!member || !(await verifyPassword(password, member.passwordHash))) {
    await Promise.all([countHit(c, LOGIN_FAILURES, clientBucket), countHit(c, ACCOUNT_FAILURES, accountBucket)]);
    return page(c, <LoginPage t={staffTranslator()} email={email} failed next={safeNext(form.next)} />, 401);
  }
  await startSession(c, member.id);
  return c.redirect(safeNext(form.next), 303);
});

auth.post("/logout", async (c) => {
  await endSession(c);
  return c.redirect("/login", 303);
});
