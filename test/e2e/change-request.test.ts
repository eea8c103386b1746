import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import ar from "../../web/i18n/ar.json";
import en from "../../web/i18n/en.json";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, npmRun, submitViaApi } from "./helpers.ts";

/** A recommendation a reviewer (through the API, with their token) took to triage and asked to change. */
async function askedForChanges(target: string) {
  const rec = await submitViaApi(target);
  const reviewer = addStaff("reviewer");
  const out = npmRun("token", [
    "create",
    "--owner",
    reviewer.email,
    "--name",
    `e2e-${Date.now()}`,
    "--scopes",
    "review",
  ]);
  const token = out.trim().split("\n").at(-1) as string;
  for (const body of [
    { action: "advance", expected_step: "received" },
    { action: "request_changes", expected_step: "triage", comment: "Please send the witness statement." },
  ]) {
    const res = await fetch(`${baseUrl}/api/v1/recommendations/${rec.id}/actions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }
  return rec;
}

/** The status page of `receipt` in `locale`, in a browser with JavaScript off. */
async function statusWithoutScripts(
  chromium: ReturnType<typeof useChromium>,
  locale: "en" | "ar",
  receipt: string,
): Promise<Page> {
  const page = await (await chromium().newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${baseUrl}/${locale}/status`);
  await page.fill('[name="receipt"]', receipt);
  const t = locale === "ar" ? ar : en;
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: t["status.lookup"] }).click()]);
  return page;
}

/** Withdrawing or erasing: the button, then a page of its own that asks once more, and yes. */
async function askedTwice(page: Page, t: Record<string, string>, action: "withdraw" | "erase") {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: t[`status.${action}.submit`] }).click(),
  ]);
  await expect(page.getByRole("heading", { name: t[`status.${action}.confirm.title`] }).count()).resolves.toBe(1);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: t[`status.${action}.confirm.yes`] }).click(),
  ]);
}

async function openStatus(page: Page, receipt: string) {
  await page.goto(`${baseUrl}/en/status`);
  await page.fill('[name="receipt"]', receipt);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: en["status.lookup"] }).click()]);
  await expect(page.locator(".messages").textContent()).resolves.toContain("Please send the witness statement.");
}

function statement(): Buffer {
  return Buffer.from(`%PDF-1.7\nWitness statement ${Date.now()}\n`.padEnd(6000, "x"));
}

describe("answering a change request with a file, on the status page", () => {
  const chromium = useChromium();

  for (const javaScriptEnabled of [true, false]) {
    it(`returns the recommendation to the reviewers with the file attached (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const rec = await askedForChanges(`Change request JS ${javaScriptEnabled} ${Date.now()}`);
      const page = await (await chromium().newContext({ javaScriptEnabled })).newPage();
      await openStatus(page, rec.receipt);
      const file = statement();
      await page.fill('[name="message"]', "The statement is attached.");
      await page.setInputFiles("#f-attachments-input", {
        name: "statement.pdf",
        mimeType: "application/pdf",
        buffer: file,
      });
      if (javaScriptEnabled) await page.locator("ul.uploads li[data-uploaded]").waitFor({ timeout: 30_000 });
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole("button", { name: en["status.respond.submit"] }).click(),
      ]);

      await expect(page.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("triage");
      await expect(page.locator("main").textContent()).resolves.toContain(en["status.responded"]);
      const files = await page.locator('[data-testid="files"]').textContent();
      expect(files).toContain("statement.pdf");
      expect(files).toContain(createHash("sha256").update(file).digest("hex"));
      await page.close();
    });
  }

  it("asks once more before withdrawing, on a page of its own (JavaScript off)", async () => {
    const rec = await submitViaApi(`Withdraw ${Date.now()}`);
    const page = await statusWithoutScripts(chromium, "en", rec.receipt);
    await askedTwice(page, en, "withdraw");
    await expect(page.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("withdrawn");
    await page.close();
  });

  it("after withdrawing, asks once more before erasing and says when, in Arabic (JavaScript off)", async () => {
    const rec = await submitViaApi(`Erase ${Date.now()}`);
    const withdrawn = await fetch(`${baseUrl}/api/v1/status/withdraw`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ receipt: rec.receipt }),
    });
    expect(withdrawn.status).toBe(200);
    const page = await statusWithoutScripts(chromium, "ar", rec.receipt);
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await askedTwice(page, ar, "erase");
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const erasure = page.locator('[data-testid="erasure"]');
    await expect(erasure.getAttribute("data-state")).resolves.toBe("planned");
    await expect(erasure.textContent()).resolves.toBe(ar["status.erase.asked"].replace("{date}", week));
    // Asked once: the button is gone.
    await expect(page.getByRole("button", { name: ar["status.erase.submit"] }).count()).resolves.toBe(0);
    await page.close();
  });
});
