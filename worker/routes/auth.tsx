import { Hono } from "hono";
import { staffTranslator } from "../../web/i18n/index.ts";
import { LoginPage } from "../../web/pages/LoginPage.tsx";
import { page } from "../../web/render.ts";
import { findActiveStaffByEmail, markTotpUsed } from "../db/staff.ts";
import type { AppEnv } from "../env.ts";
import { open, staffContext } from "../security/crypto.ts";
import { dataKeys } from "../security/keys.ts";
import { burnPasswordWork, verifyPassword } from "../security/password.ts";
import { ACCOUNT_FAILURES, LOGIN_FAILURES, refund } from "../security/rate-limit.ts";
import { endSession, startSession } from "../security/session.ts";
import { spendLimits } from "../security/throttle.ts";
import { verifyTotp } from "../security/totp.ts";

/** Staff sign-in and sign-out. */
export const auth = new Hono<AppEnv>();

/** Only same-site paths, so a crafted link cannot bounce a signed-in person elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : "/review";
}

/**
 * True when the code is a valid, unused TOTP code of the account. Every role
 * signs in with a second factor; an account without one (a reviewer made
 * before reviewers needed one) is refused until `npm run staff -- totp`.
 */
async function secondFactor(
  env: Env,
  member: NonNullable<Awaited<ReturnType<typeof findActiveStaffByEmail>>>,
  code: string,
): Promise<boolean> {
  if (!member.totpSecret) return false;
  const secret = await open(await dataKeys(env), member.totpSecret, staffContext(member.id));
  const step = verifyTotp(secret, code, member.totpLastStep);
  if (step === null) return false;
  return markTotpUsed(env.DB, member.id, step);
}

auth.get("/login", (c) => {
  if (c.get("staff")) return c.redirect(safeNext(c.req.query("next")), 303);
  return page(c, <LoginPage t={staffTranslator()} next={safeNext(c.req.query("next"))} />);
});

auth.post("/login", async (c) => {
  const form = await c.req.parseBody();
  const email = typeof form.email === "string" ? form.email : "";
  const password = typeof form.password === "string" ? form.password : "";
  const code = typeof form.code === "string" ? form.code : "";
  // The attempt is counted before the password is checked, so parallel guesses cannot pass the limit.
  const attempt = await spendLimits(c, [[LOGIN_FAILURES], [ACCOUNT_FAILURES, email.trim().toLowerCase()]]);
  const member = email ? await findActiveStaffByEmail(c.env.DB, email) : undefined;
  if (!member) await burnPasswordWork(password);
  const passwordOk = member ? await verifyPassword(password, member.passwordHash) : false;
  // Everyone also needs the code of their authenticator (TOTP).
  const factorOk = member && passwordOk ? await secondFactor(c.env, member, code) : false;
  if (!member || !passwordOk || !factorOk) {
    return page(c, <LoginPage t={staffTranslator()} email={email} failed next={safeNext(form.next)} />, 401);
  }
  // Only failures count toward the limits.
  await refund(c.env.DB, attempt);
  await startSession(c, member.id);
  return c.redirect(safeNext(form.next), 303);
});

auth.post("/logout", async (c) => {
  const form = await c.req.parseBody();
  await endSession(c, form.everywhere === "1");
  return c.redirect("/login", 303);
});
