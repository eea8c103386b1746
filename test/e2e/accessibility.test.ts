import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { FORM_PAGES } from "../../bench/page-weight.ts";
import { translator } from "../../web/i18n/index.ts";
import { LOCALES } from "../../worker/domain/locales.ts";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, fillForm, signedInPage, submitViaApi } from "./helpers.ts";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("accessibility (axe-core, WCAG 2.2 AA)", () => {
  const chromium = useChromium();

  it.each(LOCALES)(
    "public pages in %s: the form, the form with errors, the receipt, the status pages",
    async (locale) => {
      const page = await (await chromium().newContext()).newPage();
      const found: string[] = [];
      await page.goto(`${baseUrl}/${locale}/`);
      found.push(...(await violations(page)).map((v) => `form ${v}`));

      await page.fill('[name="target.name"]', "Test");
      await Promise.all([
        page.waitForURL(/recommendations$/),
        page.locator('form button[type="submit"]:not([name="intent"]):visible').last().click(),
      ]);
      found.push(...(await violations(page)).map((v) => `422 ${v}`));

      const { receipt } = await submitViaApi(`A11y ${locale}`);
      await page.goto(`${baseUrl}/${locale}/status`);
      found.push(...(await violations(page)).map((v) => `status lookup ${v}`));
      await page.fill('[name="receipt"]', receipt);
      await Promise.all([page.waitForURL(/status$/), page.locator('form button[type="submit"]').first().click()]);
      found.push(...(await violations(page)).map((v) => `status ${v}`));
      expect(found).toEqual([]);
      await page.close();
    },
  );

  it.each(LOCALES)("withdrawing and erasing on the status page in %s: both confirmation pages", async (locale) => {
    const t = translator(locale);
    const page = await (await chromium().newContext()).newPage();
    const found: string[] = [];
    const { receipt } = await submitViaApi(`A11y two steps ${locale}`);
    await page.goto(`${baseUrl}/${locale}/status`);
    await page.fill('[name="receipt"]', receipt);
    await Promise.all([page.waitForURL(/status$/), page.locator('form button[type="submit"]').first().click()]);
    for (const action of ["withdraw", "erase"] as const) {
      const click = (label: string) =>
        Promise.all([page.waitForNavigation(), page.getByRole("button", { name: label, exact: true }).click()]);
      await click(t(`status.${action}.submit`));
      await page.getByRole("heading", { name: t(`status.${action}.confirm.title`) }).waitFor();
      found.push(...(await violations(page)).map((v) => `${action} confirmation ${v}`));
      await click(t(`status.${action}.confirm.yes`));
      found.push(...(await violations(page)).map((v) => `after ${action} ${v}`));
    }
    await expect(page.locator('[data-testid="erasure"]').getAttribute("data-state")).resolves.toBe("planned");
    expect(found).toEqual([]);
    await page.close();
  });

  it.each(LOCALES)(
    "the case file in steps in %s: the task list, every page, a page with errors, the check page",
    async (locale) => {
      const page = await (await chromium().newContext()).newPage();
      const found: string[] = [];
      for (const path of FORM_PAGES.filter((p) => p !== "/")) {
        await page.goto(`${baseUrl}/${locale}${path}`);
        found.push(...(await violations(page)).map((v) => `${path} ${v}`));
      }
      await page.goto(`${baseUrl}/${locale}/form/organisation`);
      await Promise.all([
        page.waitForLoadState("load"),
        page.locator('form button[name="intent"][value="continue"]:visible').click(),
      ]);
      await page.locator(".error-summary").waitFor();
      found.push(...(await violations(page)).map((v) => `422 ${v}`));
      expect(found).toEqual([]);
      await page.close();
    },
  );

  it("the receipt page after a real submission", async () => {
    const page = await (await chromium().newContext()).newPage();
    await page.goto(`${baseUrl}/fa/`);
    await fillForm(page);
    await Promise.all([
      page.waitForURL(/recommendations$/),
      page.locator('form button[type="submit"]:not([name="intent"]):visible').last().click(),
    ]);
    await page.locator('[data-testid="receipt-code"]').waitFor();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("staff pages: sign-in, queue, detail, dashboard, admin, API reference", async () => {
    const signIn = await (await chromium().newContext()).newPage();
    await signIn.goto(`${baseUrl}/login`);
    const found = (await violations(signIn)).map((v) => `login ${v}`);
    await signIn.close();

    const { id } = await submitViaApi("A11y staff");
    const admin = await signedInPage(chromium(), addStaff("admin"));
    found.push(...(await violations(admin)).map((v) => `queue ${v}`));
    for (const path of [`/review/${id}`, "/dashboard", "/admin", "/api/docs"]) {
      await admin.goto(`${baseUrl}${path}`);
      found.push(...(await violations(admin)).map((v) => `${path} ${v}`));
    }
    // The same person in Arabic, right to left: the queue, the detail page and a confirmation page.
    await admin.goto(`${baseUrl}/review`);
    await admin.locator("details", { hasText: "Your settings" }).locator("summary").click();
    await admin.locator('[name="locale"]').selectOption("ar");
    await Promise.all([admin.waitForURL(/saved=1/), admin.locator('form[action="/review/settings"] button').click()]);
    await expect(admin.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    found.push(...(await violations(admin)).map((v) => `queue (ar) ${v}`));
    await admin.goto(`${baseUrl}/review/${id}`);
    found.push(...(await violations(admin)).map((v) => `detail (ar) ${v}`));
    expect(found).toEqual([]);
  });
});
