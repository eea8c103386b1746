import { describe, expect, it } from "vitest";
import en from "../../web/i18n/en.json";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, signedInPage, submitViaApi } from "./helpers.ts";

describe("the uploader and the queue, enhanced by script", () => {
  const chromium = useChromium();

  it("shows each file's progress, holds Send back saying why, and lets a file be removed or retried", async () => {
    const page = await chromium().newPage();
    // Uploads crawl, so the page can be seen mid-way.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/uploads/*", async (route) => {
      if (route.request().method() === "PATCH") await held;
      await route.continue();
    });
    await page.goto(`${baseUrl}/en/`);
    const send = page.getByRole("button", { name: en["form.submit"] });
    await page.setInputFiles("#f-attachments-input", {
      name: "slow.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.7\n".padEnd(200_000, "x")),
    });
    const item = page.locator("ul.uploads li", { hasText: "slow.pdf" });
    await item.locator("progress").waitFor();
    await expect(send.isDisabled()).resolves.toBe(true);
    await expect(page.locator(".upload-wait").first().textContent()).resolves.toBe(en["upload.waiting"]);
    // The disabled button looks disabled.
    await expect(send.evaluate((b) => getComputedStyle(b).opacity)).resolves.not.toBe("1");

    await item.getByRole("button", { name: en["upload.remove"] }).click();
    await expect(item.count()).resolves.toBe(0);
    await expect(send.isDisabled()).resolves.toBe(false);
    await expect(page.locator(".upload-wait").count()).resolves.toBe(0);
    release();

    // A refused file says why and can be tried again (here it is refused again: a ZIP is never taken).
    await page.setInputFiles("#f-attachments-input", {
      name: "bundle.zip",
      mimeType: "application/zip",
      buffer: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(1000)]),
    });
    const refused = page.locator("ul.uploads li[data-failed]", { hasText: "bundle.zip" });
    await refused.waitFor({ timeout: 15_000 });
    await expect(send.isDisabled()).resolves.toBe(false);
    await refused.getByRole("button", { name: en["upload.retry"] }).click();
    await page.locator("ul.uploads li[data-failed]", { hasText: "bundle.zip" }).waitFor({ timeout: 15_000 });
    await expect(page.locator("ul.uploads li", { hasText: "bundle.zip" }).count()).resolves.toBe(1);
    await page.close();
  });

  it("moves through the queue with j and k, ticks with x and opens with Enter", async () => {
    await submitViaApi(`Keys one ${Date.now()}`);
    await submitViaApi(`Keys two ${Date.now()}`);
    const page = await signedInPage(chromium(), addStaff("reviewer"));
    const rows = page.locator('[data-testid="queue"] tbody tr');
    await page.keyboard.press("j");
    await expect(rows.nth(0).getAttribute("class")).resolves.toContain("current");
    await page.keyboard.press("j");
    await expect(rows.nth(1).getAttribute("class")).resolves.toContain("current");
    await page.keyboard.press("k");
    await expect(rows.nth(0).getAttribute("class")).resolves.toContain("current");
    await page.keyboard.press("x");
    await expect(rows.nth(0).locator('input[type="checkbox"]').isChecked()).resolves.toBe(true);
    const id = await rows.nth(0).getAttribute("data-id");
    await Promise.all([page.waitForURL(`**/review/${id}`), page.keyboard.press("Enter")]);
  });
});
