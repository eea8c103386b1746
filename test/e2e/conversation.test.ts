import { describe, expect, it } from "vitest";
import staff from "../../web/i18n/staff.json";
import tr from "../../web/i18n/tr.json";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, signedInPage, submitViaApi } from "./helpers.ts";

describe("a conversation, not a mailbox", () => {
  const chromium = useChromium();

  it("a submitter writes unprompted in Turkish; a reviewer sees it unread, answers with a message; the submitter reads only that", async () => {
    const rec = await submitViaApi(`Conversation ${Date.now()}`);
    const reviewer = addStaff("reviewer");

    // The submitter, without JavaScript, in Turkish: nobody asked, they write anyway.
    const submitter = await (await chromium().newContext({ javaScriptEnabled: false, locale: "tr-TR" })).newPage();
    await submitter.goto(`${baseUrl}/tr/status`);
    await submitter.fill('[name="receipt"]', rec.receipt);
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: tr["status.lookup"] }).click(),
    ]);
    await submitter.fill('[name="message"]', "Tanıklardan biri dün gözaltına alındı. Lütfen dikkatli olun.");
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: tr["status.write.submit"] }).click(),
    ]);
    await expect(submitter.locator("main").textContent()).resolves.toContain(tr["status.written"]);
    await expect(submitter.locator('[data-testid="step"]').getAttribute("data-step")).resolves.toBe("received");

    // The reviewer's queue marks it unread and replied; the inbox says the submitter wrote.
    const page = await signedInPage(chromium(), reviewer);
    const row = page.locator(`tr[data-id="${rec.id}"]`);
    for (let i = 0; i < 50 && (await row.locator('[data-mark="new"]').count()) === 0; i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    await expect(row.locator('[data-mark="new"]').count()).resolves.toBe(1);
    await expect(row.locator('[data-mark="replied"]').count()).resolves.toBe(1);
    await expect(
      page.locator(`[data-testid="inbox"] li[data-kind="submitter_wrote"]`).filter({ hasText: rec.reference }).count(),
    ).resolves.toBe(1);

    // They open it: the submitter's words are there; they write an internal note and a message, in their two forms.
    await Promise.all([page.waitForURL(`**/review/${rec.id}`), row.getByRole("link", { name: rec.reference }).click()]);
    await expect(page.locator('[data-kind="from-submitter"]').textContent()).resolves.toContain("gözaltına");
    await page.getByLabel(staff["conversation.note.title"]).fill("Internal: call the partner in Izmir first.");
    await Promise.all([
      page.waitForURL(`**/review/${rec.id}?done=comment*`),
      page.getByRole("button", { name: staff["conversation.note.add"] }).click(),
    ]);
    await page.getByLabel(staff["conversation.message.title"]).fill("Teşekkürler. İncelemeyi şimdilik durduruyoruz.");
    await Promise.all([
      page.waitForURL(`**/review/${rec.id}?done=message*`),
      page.getByRole("button", { name: staff["conversation.message.send"] }).click(),
    ]);
    await expect(page.locator('[data-testid="done"]').textContent()).resolves.toBe(staff["done.message"]);
    await expect(page.locator('[data-kind="note"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-kind="to-submitter"] .read').textContent()).resolves.toContain(
      staff["conversation.unread"],
    );

    // The submitter sees the message and never the note; the log then marks the message as read.
    await submitter.goto(`${baseUrl}/tr/status`);
    await submitter.fill('[name="receipt"]', rec.receipt);
    await Promise.all([
      submitter.waitForNavigation(),
      submitter.getByRole("button", { name: tr["status.lookup"] }).click(),
    ]);
    const messages = await submitter.locator(".messages").textContent();
    expect(messages).toContain("İncelemeyi şimdilik durduruyoruz.");
    expect(await submitter.locator("main").textContent()).not.toContain("Izmir");
    await page.reload();
    await expect(page.locator('[data-kind="to-submitter"] .read').textContent()).resolves.not.toContain(
      staff["conversation.unread"],
    );
  });
});
