import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../worker/domain/workflow.ts";
import { ACCOUNT_FAILURES, bucketOf, LOGIN_FAILURES, spend } from "../../worker/security/rate-limit.ts";
import { currentTotp } from "../../worker/security/totp.ts";
import { call, ORIGIN, postForm, postJson } from "../helpers/http.ts";
import { createStaff, csrfOf, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";

/**
 * Signs `member` in through /login with the right password and code. Each code
 * works once, so the step used before is forgotten first rather than waiting
 * 30 seconds for the next code.
 */
async function signInAgain(member: Awaited<ReturnType<typeof createStaff>>) {
  await env.DB.prepare("UPDATE staff SET totp_last_step = NULL WHERE id = ?").bind(member.id).run();
  return postForm("/login", { email: member.email, password: member.password, code: currentTotp(member.totp) });
}

describe("every role signs in with a second factor", () => {
  for (const role of ROLES) {
    it(`refuses a ${role} without the authenticator code, and without one enrolled`, async () => {
      const member = await createStaff(role);
      expect((await postForm("/login", { email: member.email, password: member.password, code: "" })).status).toBe(401);
      const code = currentTotp(member.totp);
      expect((await postForm("/login", { email: member.email, password: member.password, code })).status).toBe(303);
      await env.DB.prepare("UPDATE staff SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?")
        .bind(member.id)
        .run();
      expect((await postForm("/login", { email: member.email, password: member.password, code })).status).toBe(401);
    });
  }
});

describe("what a reviewer's session may not take", () => {
  const exports = [
    "/api/v1/exports/recommendations.csv",
    "/api/v1/exports/recommendations.ndjson",
    "/api/v1/exports/ftm.ndjson",
  ];

  it("gets 403 on bulk exports, which a coordinator's session gets", async () => {
    const reviewer = await staffSession("reviewer");
    const coordinator = await staffSession("coordinator");
    for (const path of exports) {
      expect((await call(path, { headers: { Cookie: reviewer.cookie } })).status, path).toBe(403);
      const allowed = await call(path, { headers: { Cookie: coordinator.cookie } });
      expect(allowed.status, path).toBe(200);
      await allowed.arrayBuffer();
    }
  });
});

describe("requests another site starts with a staff member's cookie", () => {
  it("are refused with 403, JSON included; the same requests from our own pages pass", async () => {
    const { id } = await submitSample();
    const coordinator = await staffSession("coordinator");
    const action = { action: "comment", expected_step: "received", comment: "Noted" };
    const path = `/api/v1/recommendations/${id}/actions`;

    const forged = await postJson(path, action, { Cookie: coordinator.cookie, Origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    const fetched = await call("/api/v1/exports/recommendations.csv", {
      headers: { Cookie: coordinator.cookie, "Sec-Fetch-Site": "cross-site" },
    });
    expect(fetched.status).toBe(403);
    const page = await call(`/review/${id}`, {
      headers: { Cookie: coordinator.cookie, Origin: "https://evil.example" },
    });
    expect(page.status).toBe(403);

    const own = await postJson(path, action, { Cookie: coordinator.cookie, Origin: ORIGIN });
    expect(own.status).toBe(200);
    // What Chromium sends from our own pages, which ask for no referrer.
    const browser = await postJson(
      path,
      { ...action, expected_step: "received" },
      { Cookie: coordinator.cookie, Origin: "null", "Sec-Fetch-Site": "same-origin" },
    );
    expect(browser.status).toBe(200);
    const sameOrigin = await call("/api/v1/exports/recommendations.csv", {
      headers: { Cookie: coordinator.cookie, "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(200);
    await sameOrigin.arrayBuffer();
  });
});

describe("the sign-in limits", () => {
  it("count each attempt before judging it: parallel wrong passwords cannot pass the account's limit", async () => {
    const member = await createStaff("coordinator");
    const attempts = await Promise.all(
      Array.from({ length: 15 }, () =>
        postForm("/login", { email: member.email, password: "wrong password", code: currentTotp(member.totp) }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(ACCOUNT_FAILURES.max);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15 - ACCOUNT_FAILURES.max);
    // Locked: even the right password and code wait.
    const right = await postForm("/login", {
      email: member.email,
      password: member.password,
      code: currentTotp(member.totp),
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("do not count a successful sign-in", async () => {
    const member = await createStaff("reviewer");
    for (let i = 0; i < ACCOUNT_FAILURES.max + 2; i++) expect((await signInAgain(member)).status).toBe(303);
  });

  it("keep an account's lockout for its whole window, across midnight", async () => {
    const account = `midnight-${crypto.randomUUID()}@example.org`;
    const at = (iso: string) => new Date(iso);
    const attempt = async (iso: string) =>
      spend(
        env.DB,
        [{ limit: ACCOUNT_FAILURES, bucket: await bucketOf(env, ACCOUNT_FAILURES, account, at(iso)) }],
        at(iso),
      );
    for (let i = 0; i < ACCOUNT_FAILURES.max; i++) expect(await attempt("2026-03-01T23:58:00.000Z")).toBe(0);
    // Ten minutes later it is another day, and the lockout holds until 00:13.
    expect(await attempt("2026-03-02T00:08:00.000Z")).toBe(5 * 60);
    expect(await attempt("2026-03-02T00:13:00.000Z")).toBe(0);
  });

  it("keep per-client windows fixed to the clock, so no stored time tells when a client came", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
    const now = new Date("2026-03-02T10:07:31.000Z");
    const bucket = await bucketOf(env, LOGIN_FAILURES, address, now);
    await spend(env.DB, [{ limit: LOGIN_FAILURES, bucket }], now);
    const row = await env.DB.prepare("SELECT reset_at FROM rate_limits WHERE bucket = ?")
      .bind(bucket)
      .first<{ reset_at: string }>();
    expect(row?.reset_at).toBe("2026-03-02T10:15:00.000Z");
    expect(bucket).not.toContain(address);
    // The key changes with the day: tomorrow the same client has another bucket.
    expect(await bucketOf(env, LOGIN_FAILURES, address, new Date("2026-03-03T10:07:31.000Z"))).not.toBe(bucket);
  });
});

describe("sessions", () => {
  it("a new sign-in ends that person's other sessions", async () => {
    const member = await createStaff("coordinator");
    const signIn = async () => {
      const res = await signInAgain(member);
      expect(res.status).toBe(303);
      return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
    };
    const first = await signIn();
    const second = await signIn();
    expect((await call("/review", { headers: { Cookie: first } })).status).toBe(303);
    expect((await call("/review", { headers: { Cookie: second } })).status).toBe(200);
  });

  it("signs out everywhere", async () => {
    const member = await staffSession("reviewer");
    const count = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE staff_id = ?")
          .bind(member.id)
          .first<{ n: number }>()
      )?.n;
    // Another place this person is signed in (as an older session would be).
    await env.DB.prepare("INSERT INTO sessions (id_hash, staff_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)")
      .bind(crypto.randomUUID(), member.id, new Date().toISOString(), new Date().toISOString())
      .run();
    expect(await count()).toBe(2);
    const out = await postForm("/logout", { _csrf: member.csrf, everywhere: "1" }, { Cookie: member.cookie });
    expect(out.status).toBe(303);
    expect(await count()).toBe(0);
    const page = await call("/review", { headers: { Cookie: member.cookie } });
    expect(page.status).toBe(303);
    expect(await csrfOf(member.cookie).catch(() => "gone")).toBe("gone");
  });
});
