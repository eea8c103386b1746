import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import ar from "../../web/i18n/ar.json";
import { useChromium } from "./browser.ts";
import { addStaff, approveByTwo, baseUrl, fillForm, signedInPage } from "./helpers.ts";

/** The button that sends a recommendation on: it names the step it leads to ("Send to Legal review"). */
const ADVANCE = /^Send to /;

/** Presses a workflow button on the detail page and waits for the step it leads to. */
async function act(page: Page, button: string | RegExp, step: string, fill?: (page: Page) => Promise<void>) {
  const form = page.locator("form.action", { has: page.getByRole("button", { name: button }) });
  if (fill) await fill(page);
  await form.getByRole("button", { name: button }).click();
  await page.locator(`[data-testid="step"][data-step="${step}"]`).waitFor();
}

describe("journeys", () => {
  const chromium = useChromium();

  it("a submitter in Arabic without JavaScript, with an attachment; reviewers and two coordinators take it to filed, through a change request answered on the status page; a coordinator's CSV export has it", async () => {
    // 1. The submitter: Arabic, JavaScript off, one file through the plain file input.
    const submitter = await (await chromium().newContext({ javaScriptEnabled: false, locale: "ar" })).newPage();
    await submitter.goto(`${baseUrl}/ar/`);
    await fillForm(submitter);
    const target = `العقيد ${Date.now()}`;
    await submitter.fill('[name="target.name"]', target);
    const file = Buffer.from(`%PDF-1.7\nشهادة ${Date.now()}\n`.padEnd(4000, "x"));
    await submitter.setInputFiles("#f-attachments-input", {
      name: "شهادة.pdf",
      mimeType: "application/pdf",
      buffer: file,
    });
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: ar["form.submit"] }).last().click(),
    ]);
    const reference = (await submitter.locator('[data-testid="reference"]').textContent()) as string;
    const receipt = (await submitter.locator('[data-testid="receipt-code"]').textContent()) as string;
    expect(reference).toMatch(/^REC-/);
    const files = await submitter.locator('[data-testid="files"]').textContent();
    expect(files).toContain("شهادة.pdf");
    expect(files).toContain(createHash("sha256").update(file).digest("hex"));

    // 2. A reviewer takes it into triage and asks for changes.
    const reviewer = await signedInPage(chromium(), addStaff("reviewer"));
    await reviewer.getByLabel("Target name or reference").fill(reference);
    await Promise.all([reviewer.waitForURL(/\/review\?/), reviewer.getByRole("button", { name: "Apply" }).click()]);
    await Promise.all([
      reviewer.waitForURL(/\/review\/[\w-]+$/),
      reviewer.getByTestId("queue").getByRole("link", { name: reference }).click(),
    ]);
    const detail = reviewer.url();
    await act(reviewer, ADVANCE, "triage");
    await act(reviewer, "Ask the submitter for changes", "changes_requested", (p) =>
      p.locator('form[data-action="request_changes"] textarea').fill("Please give the dates of the detentions."),
    );

    // The submitter reads the request on the status page and answers it, still without JavaScript.
    await submitter.goto(`${baseUrl}/ar/status`);
    await submitter.fill('[name="receipt"]', receipt);
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: ar["status.lookup"] }).click(),
    ]);
    await expect(submitter.locator(".messages").textContent()).resolves.toContain("Please give the dates");
    await submitter.fill('[name="message"]', "من آذار إلى حزيران 2021.");
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: ar["status.respond.submit"] }).click(),
    ]);
    await expect(submitter.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("triage");

    // The reviewer sees the answer and carries it to final approval.
    await reviewer.goto(detail);
    await expect(reviewer.locator("table.events").textContent()).resolves.toContain("من آذار إلى حزيران 2021.");
    await act(reviewer, ADVANCE, "legal_review");
    await act(reviewer, ADVANCE, "evidence_review");
    await act(reviewer, ADVANCE, "final_approval");

    // 3. Two coordinators approve; the first records its filing with a government.
    const [first] = await approveByTwo(chromium(), detail);
    await first.goto(detail);
    await act(first, "Record a filing", "filed", async (p) => {
      await p.locator('form[data-action="file"] [name="filed_on"]').fill("2026-03-02");
      await p.locator('form[data-action="file"] [name="addressee"]').fill("FCDO sanctions unit");
    });
    await expect(first.locator('[data-testid="filings"] [data-programme="us_glomag"]').count()).resolves.toBe(1);

    // 4. A coordinator downloads the CSV export; it holds the recommendation, Arabic intact.
    const [download] = await Promise.all([
      first.waitForEvent("download"),
      first.evaluate(() => {
        const link = document.createElement("a");
        link.href = "/api/v1/exports/recommendations.csv?step=filed";
        document.body.append(link);
        link.click();
      }),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8");
    expect(csv.split("\r\n")[0]).toContain("reference");
    const row = csv.split("\r\n").find((line) => line.includes(reference));
    expect(row).toContain(target);
    expect(row).toContain("filed");
    expect(row).toContain("ليلى حسن");
  });
});
