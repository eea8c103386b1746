import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { apiTokens, staff } from "../../worker/db/schema.ts";
import type { Role } from "../../worker/domain/workflow.ts";
import type { Scope } from "../../worker/env.ts";
import { seal, staffContext } from "../../worker/security/crypto.ts";
import { dataKey } from "../../worker/security/keys.ts";
import { hashPassword } from "../../worker/security/password.ts";
import { newSecret, secretHash } from "../../worker/security/secrets.ts";
import { currentTotp, newTotpSecret } from "../../worker/security/totp.ts";
import { call, postForm } from "./http.ts";

/**
 * What `npm run token -- create --owner …` stores, done directly against the
 * test D1. The owner is a new coordinator unless one is given (`null`: a
 * token made before tokens had owners).
 */
export async function createToken(
  scopes: Scope[],
  options: { expiresAt?: string; revokedAt?: string; ownerId?: string | null } = {},
): Promise<string> {
  const token = newSecret("dos");
  const ownerId = options.ownerId === undefined ? (await createStaff("coordinator")).id : options.ownerId;
  await drizzle(env.DB)
    .insert(apiTokens)
    .values({
      id: crypto.randomUUID(),
      ownerId,
      name: `test-${crypto.randomUUID()}`,
      tokenHash: await secretHash(token),
      scopes: scopes.join(","),
      createdAt: new Date().toISOString(),
      expiresAt: options.expiresAt ?? null,
      revokedAt: options.revokedAt ?? null,
    });
  return token;
}

/** What `npm run staff -- add` stores, second factor included (every role has one). */
export async function createStaff(role: Role): Promise<{ id: string; email: string; password: string; totp: string }> {
  const id = crypto.randomUUID();
  const email = `${role}-${id}@example.org`;
  const password = `pw-${id}`;
  const totp = newTotpSecret();
  await drizzle(env.DB)
    .insert(staff)
    .values({
      id,
      email,
      role,
      passwordHash: await hashPassword(password),
      totpSecret: await seal(await dataKey(env), totp, staffContext(id)),
      createdAt: new Date().toISOString(),
    });
  return { id, email, password, totp };
}

/** Signs in through the real /login (with the current TOTP code if given) and returns the session cookie. */
export async function signIn(email: string, password: string, totp?: string): Promise<string> {
  const res = await postForm("/login", { email, password, code: totp ? currentTotp(totp) : "" });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

/** A new staff member of `role`, signed in, with the anti-forgery token its pages carry. */
export async function staffSession(role: Role) {
  const member = await createStaff(role);
  const cookie = await signIn(member.email, member.password, member.totp);
  return { ...member, cookie, csrf: await csrfOf(cookie) };
}

/** The session's form token, read off a staff page as a browser would have it. */
export async function csrfOf(cookie: string): Promise<string> {
  const html = await (await call("/review", { headers: { Cookie: cookie } })).text();
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no form token on /review");
  return token;
}
