import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { currentTotp } from "../../worker/security/totp.ts";
import { call, postForm, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, csrfOf } from "../helpers/staff.ts";

async function signIn(email: string, password: string, totp?: string): Promise<string> {
  const res = await postForm("/login", { email, password, code: totp ? currentTotp(totp) : "" });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("Set-Cookie") ?? "";
  expect(cookie).toMatch(/^__Host-session=[^;]+; .*HttpOnly/);
  expect(cookie).toContain("Secure");
  expect(cookie).toContain("SameSite=Strict");
  return cookie.split(";")[0] as string;
}

describe("staff sign-in and the review queue", () => {
  it("sends a visitor without a session from /review to the sign-in page", async () => {
    const res = await call("/review");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=%2Freview");
  });

  it("signs a reviewer in and shows the queue from the D1 projection, newest first", async () => {
    const older = `Older ${crypto.randomUUID()}`;
    const newer = `Newer <b>${crypto.randomUUID()}</b>`;
    await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: older }));
    await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: newer }));
    const { email, password, totp } = await createStaff("reviewer");
    const cookie = await signIn(email, password, totp);

    const res = await call("/review", { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const escaped = newer.replace("<b>", "&lt;b&gt;").replace("</b>", "&lt;/b&gt;");
    expect(html).toContain(escaped);
    expect(html).not.toContain(newer);
    expect(html.indexOf(escaped)).toBeLessThan(html.indexOf(older));
    expect(html).toContain(email);
  });

  it("refuses a wrong password with 401 and keeps the email in the form", async () => {
    const { email } = await createStaff("coordinator");
    const res = await postForm("/login", { email, password: "wrong password" });
    expect(res.status).toBe(401);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await res.text()).toContain(`value="${email}"`);
  });

  it("refuses a sign-in posted from another site", async () => {
    const { email, password } = await createStaff("reviewer");
    const res = await postForm("/login", { email, password }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });

  it("ends the session on sign-out and stores only a hash of the session id", async () => {
    const { id, email, password, totp } = await createStaff("admin");
    const cookie = await signIn(email, password, totp);
    const sessionId = cookie.split("=")[1] as string;
    const stored = await env.DB.prepare("SELECT id_hash FROM sessions WHERE staff_id = ?").bind(id).all();
    expect(stored.results).toHaveLength(1);
    expect(JSON.stringify(stored.results)).not.toContain(sessionId);

    const out = await postForm("/logout", { _csrf: await csrfOf(cookie) }, { Cookie: cookie });
    expect(out.status).toBe(303);
    expect((await call("/review", { headers: { Cookie: cookie } })).status).toBe(303);
  });

  it("locks a disabled staff member out of an open session", async () => {
    const { id, email, password, totp } = await createStaff("reviewer");
    const cookie = await signIn(email, password, totp);
    expect((await call("/review", { headers: { Cookie: cookie } })).status).toBe(200);
    await env.DB.prepare("UPDATE staff SET disabled_at = ? WHERE id = ?").bind(new Date().toISOString(), id).run();
    expect((await call("/review", { headers: { Cookie: cookie } })).status).toBe(303);
  });

  it("ends a session after 60 idle minutes, and after 12 hours however active", async () => {
    const { id, email, password, totp } = await createStaff("reviewer");
    // Each sign-in needs an unused code; rather than wait 30 s for the next, forget the one used.
    const again = async () => {
      await env.DB.prepare("UPDATE staff SET totp_last_step = NULL WHERE id = ?").bind(id).run();
      return signIn(email, password, totp);
    };
    const idle = await again();
    const old = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await env.DB.prepare("UPDATE sessions SET last_seen_at = ? WHERE staff_id = ?").bind(old(61), id).run();
    expect((await call("/review", { headers: { Cookie: idle } })).status).toBe(303);

    const long = await again();
    await env.DB.prepare("UPDATE sessions SET created_at = ?, last_seen_at = ? WHERE staff_id = ?")
      .bind(old(12 * 60 + 1), old(1), id)
      .run();
    expect((await call("/review", { headers: { Cookie: long } })).status).toBe(303);

    const fresh = await again();
    expect((await call("/review", { headers: { Cookie: fresh } })).status).toBe(200);
  });

  it("asks for the authenticator code, and takes each code once", async () => {
    const { email, password, totp } = await createStaff("coordinator");
    expect((await postForm("/login", { email, password, code: "" })).status).toBe(401);
    expect((await postForm("/login", { email, password, code: "000000" })).status).toBe(401);
    const code = currentTotp(totp as string);
    expect((await postForm("/login", { email, password, code })).status).toBe(303);
    expect((await postForm("/login", { email, password, code })).status).toBe(401);
  });

  it("refuses a coordinator who has no second factor enrolled", async () => {
    const { id, email, password } = await createStaff("coordinator");
    await env.DB.prepare("UPDATE staff SET totp_secret = NULL WHERE id = ?").bind(id).run();
    expect((await postForm("/login", { email, password, code: "123456" })).status).toBe(401);
  });
});

describe("the default configuration (no Cloudflare Access)", () => {
  it("has Access switched off, and ignores an Access assertion header", async () => {
    expect(env.ACCESS_TEAM_DOMAIN).toBe("");
    const { email } = await createStaff("admin");
    const res = await call("/review", { headers: { "Cf-Access-Jwt-Assertion": `header.${btoa(email)}.sig` } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=%2Freview");
  });
});
