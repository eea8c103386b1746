import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import en from "../../web/i18n/en.json";
import { useChromium } from "./browser.ts";
import { baseUrl, fillForm } from "./helpers.ts";

const MiB = 1024 * 1024;

function pdf(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
  bytes.write("%PDF-1.7\n", 0);
  return bytes;
}

describe("resumable evidence upload in Chromium", () => {
  const chromium = useChromium();

  it("uploads a file with JavaScript on, survives a cut connection midway, and the receipt lists it with its SHA-256", async () => {
    const file = pdf(40 * MiB);
    const sha256 = createHash("sha256").update(file).digest("hex");
    const page = await chromium().newPage();
    let patches = 0;
    let cut = false;
    await page.route("**/uploads/*", async (route) => {
      if (route.request().method() === "PATCH" && ++patches === 2 && !cut) {
        cut = true;
        await route.abort("connectionreset");
        return;
      }
      await route.continue();
    });

    await page.goto(`${baseUrl}/en/`);
    await fillForm(page);
    await page.setInputFiles("#f-attachments-input", {
      name: "evidence.pdf",
      mimeType: "application/pdf",
      buffer: file,
    });
    // While it uploads, the browser keeps nothing that names the file: not in localStorage, and
    // in sessionStorage (gone with the tab) only what resuming needs.
    await page.waitForFunction(() => sessionStorage.length > 0, undefined, { timeout: 30_000 });
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage),
      session: Object.values(sessionStorage).join(" "),
    }));
    expect(stored.local).toEqual([]);
    expect(stored.session).toContain("/uploads/");
    expect(stored.session).not.toContain("evidence");
    expect(stored.session).not.toContain("application/pdf");
    const done = page.locator("ul.uploads li[data-uploaded]");
    await done.waitFor({ timeout: 60_000 });
    // A PDF keeps its own metadata: the person is told before sending.
    await expect(done.locator(".note").textContent()).resolves.toBe(en["done.files.not_cleaned"]);
    expect(cut).toBe(true);
    expect(patches).toBeGreaterThanOrEqual(4);
    await expect(page.locator("#f-attachments-input").inputValue()).resolves.toBe("");
    await expect(page.evaluate(() => localStorage.length + sessionStorage.length)).resolves.toBe(0);

    await Promise.all([
      page.waitForURL(`${baseUrl}/en/recommendations`),
      page.getByRole("button", { name: "Send the recommendation" }).last().click(),
    ]);
    await expect(page.locator('[data-testid="reference"]').textContent()).resolves.toMatch(/^REC-/);
    const files = await page.locator('[data-testid="files"]').textContent();
    expect(files).toContain("evidence.pdf");
    expect(files).toContain(sha256);
    await page.close();
  });
});
