import { createRemoteJWKSet, jwtVerify } from "jose";

/**
 * Cloudflare Access mode: when the deployment sets ACCESS_TEAM_DOMAIN and
 * ACCESS_AUD, a request that Access let through carries a signed JWT
 * (`Cf-Access-Jwt-Assertion`). Its signature (the team's published keys),
 * issuer and audience are checked here; its email must belong to an active
 * staff account, whose role then applies.
 */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function accessConfigured(env: Env): boolean {
  return Boolean(env.ACCESS_TEAM_DOMAIN && env.ACCESS_AUD);
}

/** The verified email of an Access assertion, or null when it does not verify. */
export async function accessEmail(env: Env, assertion: string): Promise<string | null> {
  const team = `https://${env.ACCESS_TEAM_DOMAIN.replace(/^https?:\/\//, "").replace(/\/$/, "")}`;
  let keys = keySets.get(team);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${team}/cdn-cgi/access/certs`));
    keySets.set(team, keys);
  }
  try {
    const { payload } = await jwtVerify(assertion, keys, { issuer: team, audience: env.ACCESS_AUD });
    return typeof payload.email === "string" ? payload.email.toLowerCase() : null;
  } catch {
    return null;
  }
}
