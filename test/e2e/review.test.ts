import { describe, expect, it } from "vitest";
import { useChromium } from "./browser.ts";
import { addStaff, signedInPage, submitViaApi } from "./helpers.ts";

/** The button that sends a recommendation on: it names the step it leads to ("Send to Legal review"). */
const ADVANCE = /^Send to /;

describe("reviewing in Chromium", () => {
  const chromium = useChromium();

  it("a reviewer filters the queue, opens a recommendation and advances it; two coordinators approve it", async () => {
    const name = `Review journey ${Date.now()}`;
    const { reference } = await submitViaApi(name, { country: "BY" });

    const reviewer = await signedInPage(chromium(), addStaff("reviewer"));
    await reviewer.getByLabel("Target name or reference").fill(name);
    await reviewer.getByLabel("Country of the conduct").selectOption("BY");
    await Promise.all([reviewer.waitForURL(/\/review\?/), reviewer.getByRole("button", { name: "Apply" }).click()]);
    expect(reviewer.url()).toContain("country=BY");
    await Promise.all([
      reviewer.waitForURL(/\/review\/[\w-]+$/),
      reviewer.getByTestId("queue").getByRole("link", { name: reference }).click(),
    ]);
    await expect(reviewer.locator('[data-testid="custody"]').textContent()).resolves.toContain("The record holds");

    for (const next of ["triage", "legal_review", "evidence_review", "final_approval"]) {
      await reviewer.locator("form.action").getByRole("button", { name: ADVANCE }).click();
      await reviewer.locator(`[data-testid="step"][data-step="${next}"]`).waitFor();
    }
    // A reviewer cannot approve.
    await expect(reviewer.getByRole("button", { name: "Approve" }).count()).resolves.toBe(0);
    const detailUrl = reviewer.url();

    const first = await signedInPage(chromium(), addStaff("coordinator"));
    await first.goto(detailUrl);
    await first.getByRole("button", { name: "Approve" }).click();
    await first.locator("table.events", { hasText: "Approve" }).waitFor();
    await expect(first.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("final_approval");
    // The same coordinator is not offered a second approval.
    await expect(first.getByRole("button", { name: "Approve" }).count()).resolves.toBe(0);

    const second = await signedInPage(chromium(), addStaff("coordinator"));
    await second.goto(detailUrl);
    await second.getByRole("button", { name: "Approve" }).click();
    await second.locator('[data-testid="step"][data-step="approved"]').waitFor();
    // Two approvals in the log's action column (its step column says "Final approval → Approved" in words).
    const actions = await second.locator("table.events tbody tr td:nth-child(4)").allTextContents();
    expect(actions.filter((a) => a === "Approve")).toHaveLength(2);
  });
});
