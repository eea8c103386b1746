import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import app from "../../worker/app.tsx";
import { toFormFields } from "../helpers/form.ts";
import { call, ORIGIN } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";

const SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const withTurnstile = { ...env, TURNSTILE_SITE_KEY: "test-site-key", TURNSTILE_SECRET: "test-secret" };

/** The app as a deployment with Turnstile turned on would run it. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", "198.51.100.23");
  const res = await app.fetch(new Request(new URL(path, ORIGIN), { ...init, headers }), withTurnstile, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function post(locale: string, token?: string) {
  const body = new URLSearchParams(toFormFields(sampleRecommendation()));
  if (token) body.set("cf-turnstile-response", token);
  return send(`/${locale}/recommendations`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
    body: body.toString(),
  });
}

describe("Turnstile on the public form (when a deployment turns it on)", () => {
  const verified: URLSearchParams[] = [];
  beforeAll(() => {
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url !== SITEVERIFY) return realFetch(input, init);
      const body = new URLSearchParams(String(init?.body ?? ""));
      verified.push(body);
      return Response.json({ success: body.get("response") === "good-token" });
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("puts the widget on the form and lets its script and frame through the CSP", async () => {
    const res = await send("/en/");
    const html = await res.text();
    expect(html).toContain('class="cf-turnstile" data-sitekey="test-site-key"');
    expect(html).toContain('src="https://challenges.cloudflare.com/turnstile/v0/api.js"');
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com");
    expect(csp).toContain("frame-src https://challenges.cloudflare.com");
  });

  it("refuses a form without a passing check (422, in the form's language, values kept)", async () => {
    for (const token of [undefined, "bad-token"]) {
      const res = await post("ar", token);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(catalogues.ar["errors.bot_check"]);
      expect(html).toContain("Centre for Civil Liberties");
    }
  });

  it("takes a form whose check passes, and tells Cloudflare nothing about the person", async () => {
    expect((await post("en", "good-token")).status).toBe(201);
    const last = verified.at(-1) as URLSearchParams;
    expect(last.get("secret")).toBe("test-secret");
    expect(last.has("remoteip")).toBe(false);
  });

  it("is off where the deployment did not configure it", async () => {
    const res = await call("/en/");
    expect(await res.text()).not.toContain("cf-turnstile");
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-src 'none'");
  });
});
