import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useChromium } from "./browser.ts";
import { addStaff, approveByTwo, baseUrl, signedInPage, submitViaApi } from "./helpers.ts";

/** The button that sends a recommendation on: it names the step it leads to ("Send to Legal review"). */
const ADVANCE = /^Send to /;

/** Presses a workflow button on the detail page and waits for the step it leads to. */
async function act(page: Page, button: string | RegExp, step: string) {
  await page.locator("form.action").getByRole("button", { name: button }).first().click();
  await page.locator(`[data-testid="step"][data-step="${step}"]`).waitFor();
}

/** Records a filing with the detail page's form (no JavaScript needed) and waits for it to be listed. */
async function fileWith(page: Page, programme: string, addressee: string) {
  const form = page.locator('form[data-action="file"]');
  await form.locator('[name="programme"]').selectOption(programme);
  await form.locator('[name="filed_on"]').fill("2026-03-02");
  await form.locator('[name="addressee"]').fill(addressee);
  await Promise.all([
    page.waitForURL(/#filings-title$/),
    form.getByRole("button", { name: "Record a filing" }).click(),
  ]);
  await page.locator(`[data-testid="filings"] [data-programme="${programme}"]`).waitFor();
}

describe("filings, outcomes and the picture", () => {
  const chromium = useChromium();

  it("two coordinators file with two governments and record one designation; the dashboard shows it and the submitter sees it", async () => {
    const { id, reference, receipt } = await submitViaApi(`Filing journey ${Date.now()}`);
    const detail = `${baseUrl}/review/${id}`;

    const reviewer = await signedInPage(chromium(), addStaff("reviewer"));
    await reviewer.goto(detail);
    for (const step of ["triage", "legal_review", "evidence_review", "final_approval"]) {
      await act(reviewer, ADVANCE, step);
    }
    const [first, second] = await approveByTwo(chromium(), detail);

    // Each coordinator files with one government.
    await first.goto(detail);
    await fileWith(first, "us_glomag", "OFAC");
    await expect(first.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("filed");
    await second.goto(detail);
    await fileWith(second, "uk_global_human_rights", "FCDO sanctions unit");

    // The US designates; the second coordinator records it.
    const us = second.locator('[data-testid="filings"] [data-programme="us_glomag"]');
    await us.locator("summary", { hasText: "Record the outcome" }).click();
    await us.locator('[name="outcome"][value="designated"]').check();
    await us.locator('[name="on"]').fill("2026-06-12");
    await us.locator('[name="list_reference"]').fill("GLOMAG-2026-7");
    // A government's answer is asked once more, on a page that says it in words.
    await us.getByRole("button", { name: "Record the outcome" }).click();
    await expect(second.locator('[data-testid="confirm"]').textContent()).resolves.toContain(
      "sanctions imposed on 2026-06-12",
    );
    await Promise.all([
      second.waitForURL(/#filings-title$/),
      second.getByRole("button", { name: "Yes, record it" }).click(),
    ]);
    await expect(
      second.locator('[data-programme="us_glomag"] [data-testid="filing-outcome"]').getAttribute("data-outcome"),
    ).resolves.toBe("designated");
    // The UK has still to answer: filed until it does.
    await expect(second.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("filed");

    // The dashboard counts it, and lists the recommendation as a gap (the UK has not answered).
    await first.goto(`${baseUrl}/dashboard`);
    const row = first.locator('[data-testid="programmes"] tr[data-programme="us_glomag"] td');
    expect(Number(await row.nth(2).textContent())).toBeGreaterThanOrEqual(1);
    const gap = first.locator(`[data-testid="gaps"] tr[data-id="${id}"]`);
    await expect(gap.textContent()).resolves.toContain(reference);
    await expect(gap.locator("td").nth(3).textContent()).resolves.toBe("GB");
    expect(await first.locator("svg").count()).toBeGreaterThanOrEqual(3);

    // The submitter sees which government acted and when, in Spanish, without JavaScript.
    const submitter = await (await chromium().newContext({ javaScriptEnabled: false, locale: "es" })).newPage();
    await submitter.goto(`${baseUrl}/es/status`);
    await submitter.fill('[name="receipt"]', receipt);
    await Promise.all([submitter.waitForNavigation(), submitter.locator('form button[type="submit"]').first().click()]);
    const decisions = submitter.locator('[data-testid="decisions"] li[data-programme="us_glomag"]');
    await expect(decisions.textContent()).resolves.toContain("sanciones impuestas el 2026-06-12");
    await expect(submitter.locator('[data-testid="decisions"] li').count()).resolves.toBe(1);
    await expect(submitter.content()).resolves.not.toContain("FCDO");
  });
});
