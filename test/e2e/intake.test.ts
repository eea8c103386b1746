import { describe, expect, it } from "vitest";
import ar from "../../web/i18n/ar.json";
import { useChromium } from "./browser.ts";
import { baseUrl, fillForm } from "./helpers.ts";

describe("the Arabic intake form in Chromium", () => {
  const chromium = useChromium();

  it("works with JavaScript off: a missing field comes back marked, everything else kept; fixed, it gives a receipt", async () => {
    const context = await chromium().newContext({ javaScriptEnabled: false, locale: "ar" });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe("/ar/");
    await fillForm(page, "conduct.categories");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: ar["form.submit"] }).last().click()]);

    const summary = page.locator(".error-summary");
    await expect(summary.textContent()).resolves.toContain(ar["field.conduct.categories"]);
    expect(await page.inputValue('[name="target.name"]')).toBe("العقيد سامي الخطيب");
    expect(await page.inputValue('[name="submitter.country"]')).toBe("LB");
    expect(await page.isChecked('[name="jurisdictions[]"][value="eu_global_human_rights"]')).toBe(true);
    expect(await page.locator("#f-conduct-categories").getAttribute("aria-describedby")).toContain("error");

    await page.check('[name="conduct.categories[]"][value="torture"]');
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: ar["form.submit"] }).last().click()]);
    await expect(page.locator('[data-testid="reference"]').textContent()).resolves.toMatch(/^REC-\d{4}-\d{5}$/);
    const receipt = await page.locator('[data-testid="receipt-code"]').textContent();
    expect(receipt).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);

    // The receipt opens the status page, in Arabic, still without JavaScript.
    await page.goto(`${baseUrl}/ar/status`);
    await page.fill('[name="receipt"]', receipt as string);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: ar["status.lookup"] }).click()]);
    await expect(page.locator('[data-testid="step"]').textContent()).resolves.toBe(ar["step.received"]);
    await context.close();
  });

  it("mirrors the layout right to left (Arabic) and keeps it left to right (English)", async () => {
    const page = await chromium().newPage({ viewport: { width: 1000, height: 900 } });
    const edges = async (locale: string) => {
      await page.goto(`${baseUrl}/${locale}/`);
      return page.evaluate(() => {
        const box = (sel: string) => (document.querySelector(sel) as HTMLElement).getBoundingClientRect();
        // The label is a block; what the eye sees is where its text runs.
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('label[for="f-target-name"]') as HTMLElement);
        const label = range.getBoundingClientRect();
        const input = box("#f-target-name");
        const radio = box("#f-target-kind-person");
        const radioText = box("label.option:has(#f-target-kind-person)");
        const brand = box(".brand");
        return { label, input, radio, radioText, brand };
      });
    };
    const rtl = await edges("ar");
    // The label starts at the right edge of the input; the radio button sits right of its text; the brand is on the right.
    expect(Math.abs(rtl.label.right - rtl.input.right)).toBeLessThan(2);
    expect(rtl.label.left).toBeGreaterThan(rtl.input.left + 20);
    expect(rtl.radio.left).toBeGreaterThan(rtl.radioText.right - 40);
    expect(rtl.brand.left).toBeGreaterThan(500);

    const ltr = await edges("en");
    expect(Math.abs(ltr.label.left - ltr.input.left)).toBeLessThan(2);
    expect(ltr.radio.right).toBeLessThan(ltr.radioText.left + 40);
    expect(ltr.brand.left).toBeLessThan(500);
    await page.close();
  });

  it("sends the form when Enter is pressed in a field, rather than adding a row", async () => {
    const page = await chromium().newPage();
    await page.goto(`${baseUrl}/en/`);
    await page.fill('[name="submitter.organization"]', "Enter key org");
    await Promise.all([page.waitForNavigation(), page.press('[name="submitter.organization"]', "Enter")]);
    // Sent and refused for the missing fields (422), not re-shown with an extra row (200).
    await expect(page.locator(".error-summary").count()).resolves.toBe(1);
    await page.close();
  });
});
