import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { call } from "../helpers/http.ts";
import { createStaff } from "../helpers/staff.ts";

const TEAM = `https://${env.ACCESS_TEAM_DOMAIN}`;
const CERTS = `${TEAM}/cdn-cgi/access/certs`;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

async function assertion(keys: KeyPair, kid: string, email: string, audience = env.ACCESS_AUD): Promise<string> {
  return new SignJWT({ email })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(TEAM)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(keys.privateKey);
}

describe("Cloudflare Access mode", () => {
  let team: KeyPair;
  let stranger: KeyPair;
  let certsFetched = 0;

  beforeAll(async () => {
    team = await generateKeyPair("RS256", { extractable: true });
    stranger = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(team.publicKey)), kid: "team-key", alg: "RS256", use: "sig" };
    const realFetch = globalThis.fetch;
    // The team's published keys, served from the test instead of the internet.
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === CERTS) {
        certsFetched++;
        return Response.json({ keys: [jwk] });
      }
      return realFetch(input, init);
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("lets a staff member in with a valid assertion, no password or session needed", async () => {
    const { email } = await createStaff("reviewer");
    const res = await call("/review", {
      headers: { "Cf-Access-Jwt-Assertion": await assertion(team, "team-key", email) },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(email);
    expect(certsFetched).toBeGreaterThan(0);
  });

  it("refuses a request another site started, even with a valid assertion", async () => {
    const { email } = await createStaff("coordinator");
    const header = { "Cf-Access-Jwt-Assertion": await assertion(team, "team-key", email) };
    const own = await call("/api/v1/exports/recommendations.csv", { headers: header });
    expect(own.status).toBe(200);
    await own.arrayBuffer();
    const forged = await call("/api/v1/exports/recommendations.csv", {
      headers: { ...header, Origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);
  });

  it("refuses an assertion for another audience, signed by another key, or for someone without an account", async () => {
    const { email } = await createStaff("coordinator");
    const wrongAudience = await assertion(team, "team-key", email, "another-app");
    const forged = await assertion(stranger, "team-key", email);
    const nobody = await assertion(team, "team-key", "nobody@example.org");
    for (const token of [wrongAudience, forged, nobody, "not.a.jwt"]) {
      const res = await call("/review", { headers: { "Cf-Access-Jwt-Assertion": token } });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toContain("/login");
    }
  });
});
