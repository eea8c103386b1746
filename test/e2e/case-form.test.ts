import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import ar from "../../web/i18n/ar.json";
import en from "../../web/i18n/en.json";
import { useChromium } from "./browser.ts";
import { baseUrl } from "./helpers.ts";

/**
 * Opens a page of the case file from the task list and answers it with
 * `answer`, then continues: with the button, or by Enter in the field `enter`.
 */
async function answerPage(page: Page, link: string | RegExp, answer: () => Promise<void>, enter?: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: link }).first().click()]);
  await answer();
  await Promise.all([
    page.waitForNavigation(),
    enter
      ? page.press(`[name="${enter}"]`, "Enter")
      : page.getByRole("button", { name: ar["case.continue"], exact: true }).click(),
  ]);
  expect(new URL(page.url()).pathname, await page.locator(".error-summary").allTextContents().then(String)).toBe(
    "/ar/form",
  );
}

describe("the case file in steps in Chromium", () => {
  const chromium = useChromium();

  it("takes a two-target Arabic case without JavaScript, saved as a draft, resumed in another browser and sent", async () => {
    const first = await chromium().newContext({ javaScriptEnabled: false, locale: "ar" });
    const page = await first.newPage();
    await page.goto(`${baseUrl}/ar/`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: ar["case.link"] }).click()]);
    expect(new URL(page.url()).pathname).toBe("/ar/form");

    await answerPage(
      page,
      ar["case.section.organisation"],
      async () => {
        await page.fill('[name="submitter.organization"]', "مركز توثيق الانتهاكات");
        await page.selectOption('[name="submitter.country"]', "SY");
        await page.fill('[name="submitter.contact_name"]', "سلمى");
        await page.fill('[name="submitter.contact_email"]', "salma@example.org");
        await page.check('[name="submitter.may_be_named"][value="no"]');
      },
      "submitter.contact_email",
    );
    await answerPage(page, ar["case.target_n"].replace("{n}", "1"), async () => {
      await page.check('[name="target.kind"][value="person"]');
      await page.fill('[name="target.name"]', "اللواء جميل حسن");
      await page.selectOption('[name="target.script"]', "Arab");
      await page.fill('[name="target.positions[0].title"]', "مدير المخابرات الجوية");
      await page.check('[name="target.positions[0].public_official"]');
    });
    await answerPage(page, ar["case.add_target"], async () => {
      await page.check('[name="target.kind"][value="entity"]');
      await page.fill('[name="target.name"]', "شركة النور للتجارة");
    });

    // Half way: saved for later; the code is all this person takes with them.
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: ar["case.section.conduct"] }).click()]);
    await page.check('[name="conduct.categories[]"][value="torture"]');
    await page.fill(
      '[name="conduct.summary"]',
      "أشرف على تعذيب المعتقلين في فرع المخابرات الجوية بين عامي 2011 و2013 بحسب شهادات الناجين.",
    );
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: ar["draft.save"] }).click()]);
    const code = (await page.locator('[data-testid="draft-code"]').textContent()) as string;
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    await first.close();

    // Another browser, no cookie: the code opens the task list with everything answered so far.
    const second = await chromium().newContext({ javaScriptEnabled: false, locale: "ar" });
    const resumed = await second.newPage();
    await resumed.goto(`${baseUrl}/ar/form`);
    await resumed.locator("details.draft-open summary").click();
    await resumed.fill('[name="draft_code"]', code);
    await Promise.all([
      resumed.waitForNavigation(),
      resumed.getByRole("button", { name: ar["draft.open.submit"] }).click(),
    ]);
    expect(new URL(resumed.url()).pathname).toBe("/ar/form");
    await expect(resumed.locator("#status-target-2").getAttribute("data-status")).resolves.toBe("completed");
    await expect(resumed.locator("#status-conduct").getAttribute("data-status")).resolves.toBe("in_progress");

    const p = resumed;
    await answerPage(p, ar["case.section.conduct"], async () => {
      expect(await p.isChecked('[name="conduct.categories[]"][value="torture"]')).toBe(true);
      await p.check('[name="conduct.involvement[]"][value="unknown"]');
      await p.selectOption('[name="conduct.country"]', "SY");
      await p.check('[name="conduct.period_unknown"]');
    });
    await answerPage(p, ar["case.section.relations"], async () => {
      await p.selectOption('[name="relations[0].from"]', "0");
      await p.selectOption('[name="relations[0].kind"]', "controls");
      await p.selectOption('[name="relations[0].to"]', "1");
    });
    await answerPage(p, ar["case.section.programmes"], async () => {
      await p.check('[name="jurisdictions[]"][value="undecided"]');
    });
    await answerPage(p, ar["case.section.evidence"], async () => {
      await p.fill('[name="evidence.description"]', "شهادات ناجين وسجل تجاري");
    });
    await answerPage(p, ar["case.section.safety"], async () => {
      await p.check('[name="safety.risk_level"][value="high"]');
      await p.check('[name="safety.consent_to_share"][value="yes"]');
    });

    await Promise.all([p.waitForNavigation(), p.getByRole("link", { name: ar["case.review"] }).click()]);
    const review = (await p.locator("main").textContent()) as string;
    expect(review).toContain("اللواء جميل حسن");
    expect(review).toContain("شركة النور للتجارة");
    expect(review).toContain(ar["relation.controls"]);
    await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: ar["case.send"] }).click()]);
    await expect(p.locator('[data-testid="reference"]').textContent()).resolves.toMatch(/^REC-\d{4}-\d{5}$/);
    await expect(p.locator('[data-testid="receipt-code"]').textContent()).resolves.toMatch(/^([0-9A-Z]{4}-){4}/);
    await second.close();
  });

  it("with JavaScript, adds a row without cancelling an upload, and asks before leaving unsaved answers", async () => {
    const context = await chromium().newContext({ locale: "en" });
    const page = await context.newPage();
    // The upload's first chunk is held until "add another" has done its work: the upload is surely under way.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let patches = 0;
    await page.route("**/uploads/*", async (route) => {
      if (route.request().method() === "PATCH" && ++patches === 1) await held;
      await route.continue();
    });
    await page.goto(`${baseUrl}/en/form/evidence`);
    await page.fill('[name="evidence.description"]', "A payroll and a witness");
    await page.fill('[name="evidence.items[0].description"]', "A leaked payroll");
    await page.selectOption('[name="evidence.items[0].kind"]', "financial");
    await page.check('[name="evidence.items[0].consent.governments"][value="yes"]');
    await page.check('[name="evidence.items[0].consent.public"][value="no"]');
    const bytes = Buffer.alloc(6 * 1024 * 1024, 7);
    bytes.write("%PDF-1.7\n", 0);
    await page.setInputFiles("#f-attachments-input", {
      name: "payroll.pdf",
      mimeType: "application/pdf",
      buffer: bytes,
    });
    await page.waitForFunction(() => sessionStorage.length > 0);

    await page.locator('#f-evidence-items button[name="_add"]').click();
    await page.locator('[name="evidence.items[1].description"]').waitFor();
    expect(await page.inputValue('[name="evidence.items[0].description"]')).toBe("A leaked payroll");
    expect(await page.isChecked('[name="evidence.items[0].consent.governments"][value="yes"]')).toBe(true);
    await expect(page.evaluate(() => document.activeElement?.getAttribute("name"))).resolves.toBe(
      "evidence.items[1].kind",
    );
    release();
    await page.locator("ul.uploads li[data-uploaded]").waitFor({ timeout: 60_000 });

    // Typed and not saved: leaving asks first, and staying keeps the page.
    const asked = new Promise<string>((resolve) => {
      page.once("dialog", async (dialog) => {
        resolve(dialog.type());
        await dialog.dismiss();
      });
    });
    await page.getByRole("link", { name: en["case.back"] }).click();
    await expect(asked).resolves.toBe("beforeunload");
    expect(new URL(page.url()).pathname).toBe("/en/form/evidence");

    // Continuing saves the page with its file, which the check page lists.
    await Promise.all([
      page.waitForURL(`${baseUrl}/en/form`),
      page.getByRole("button", { name: en["case.continue"], exact: true }).click(),
    ]);
    await page.goto(`${baseUrl}/en/form/review`);
    await expect(page.locator("main").textContent()).resolves.toContain("payroll.pdf");
    await context.close();
  });
});
