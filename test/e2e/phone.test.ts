import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, signedInPage, submitViaApi, uploadViaTus } from "./helpers.ts";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** How far the page is wider than the screen (0: nothing to scroll sideways). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe("on a phone (390 px)", () => {
  const chromium = useChromium();

  it("the status page, with its fingerprints, never scrolls sideways (left to right and right to left)", async () => {
    const file = await uploadViaTus(new TextEncoder().encode(`phone ${Date.now()}`.padEnd(2000, ".")), "notes.txt");
    const { receipt } = await submitViaApi(`Phone ${Date.now()}`, { attachments: [file] });
    for (const locale of ["en", "ar", "ug"]) {
      const page = await (await chromium().newContext({ ...PHONE, javaScriptEnabled: false })).newPage();
      await page.goto(`${baseUrl}/${locale}/status`);
      await page.fill('[name="receipt"]', receipt);
      await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').first().click()]);
      await page.locator('[data-testid="fingerprint"]').waitFor();
      expect(await overflow(page), locale).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it("the queue is a list of cards, sortable and usable with a thumb", async () => {
    const { reference } = await submitViaApi(`Phone queue ${Date.now()}`);
    const reviewer = addStaff("reviewer");
    const page = await signedInPage(chromium(), reviewer, PHONE);
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await expect(page.getByTestId("queue").getByRole("link", { name: reference }).isVisible()).resolves.toBe(true);
    await Promise.all([page.waitForURL(/sort=risk/), page.getByRole("link", { name: "Risk" }).click()]);
    await expect(overflow(page)).resolves.toBeLessThanOrEqual(0);
    await page.context().close();
  });
});

describe("the error summary", () => {
  const chromium = useChromium();

  it("takes the reader to the field with its label still in view", async () => {
    const page = await (await chromium().newContext({ ...PHONE, javaScriptEnabled: false })).newPage();
    await page.goto(`${baseUrl}/en/`);
    await Promise.all([
      page.waitForURL(/recommendations$/),
      page.locator('form button[type="submit"]:not([name="intent"]):visible').last().click(),
    ]);
    const first = page.locator(".error-summary a").first();
    await first.click();
    const href = (await first.getAttribute("href")) as string;
    // The label (or a group's legend) of the field the link went to is on screen.
    const top = await page.evaluate((id) => {
      const target = document.getElementById(id);
      const label =
        document.querySelector(`label[for="${id}"]`) ?? target?.closest("fieldset")?.querySelector("legend");
      return label?.getBoundingClientRect().top ?? null;
    }, href.slice(1));
    expect(top, href).not.toBeNull();
    expect(top as number).toBeGreaterThanOrEqual(0);
    expect(top as number).toBeLessThan(844);
    await page.close();
  });
});
