import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { currentTotp } from "../../worker/security/totp.ts";
import { useChromium } from "./browser.ts";
import { baseUrl, npmRun, submitViaApi } from "./helpers.ts";

describe("the running app in Chromium", () => {
  const chromium = useChromium();

  it("sends / to a locale and renders the intake form at /en/", async () => {
    const page = await chromium().newPage({ locale: "en-GB" });
    const res = await page.goto(`${baseUrl}/`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/en/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Recommend");
    await page.getByLabel("Name of your organisation").fill("Test organisation");
    expect(await page.getByLabel("Name of your organisation").inputValue()).toBe("Test organisation");
    const fontSize = await page.locator("body").evaluate((el) => getComputedStyle(el).fontSize);
    expect(fontSize).toBe("16px");
    await page.close();
  });

  it("lets a reviewer added with `npm run staff` sign in and see an API submission in the queue", async () => {
    const target = `E2E Target ${Date.now()}`;
    await submitViaApi(target);

    const email = `reviewer-${Date.now()}@example.org`;
    const out = npmRun("staff", ["add", "--email", email, "--role", "reviewer"]);
    const password = /Password \(shown once\): (\S+)/.exec(out)?.[1];
    const secret = /Secret: (\S+)/.exec(out)?.[1];
    expect(password).toBeTruthy();
    expect(secret).toBeTruthy();

    const page = await chromium().newPage();
    await page.goto(`${baseUrl}/review`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password as string);
    await page.getByLabel("Code from your authenticator app").fill(currentTotp(secret as string));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl}/review`);
    await expect(page.getByRole("cell", { name: target }).count()).resolves.toBe(1);
    await page.close();
  });

  it("serves static files with the same security headers as pages", async () => {
    for (const path of ["/style.css", "/upload-loader.js", "/favicon.svg"]) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'none'");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
    expect((await fetch(`${baseUrl}/_headers`)).status).toBe(404);
  });

  it("offers no way into the local data beside the app: wrangler's explorer and trace store are off", async () => {
    // Left on, the first lists the local D1 and R2 and answers SQL; the second keeps every request's trace.
    for (const path of [
      "/cdn-cgi/local/explorer/api/d1/database",
      "/cdn-cgi/local/explorer/api/local/observability/query",
    ]) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('"success":true');
    }
    // Requests have been served (the tests above): no trace of them is kept in the state.
    expect(existsSync(join(inject("stateDir"), "v3", "observability"))).toBe(false);
  });
});
