import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
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
    const done = page.locator("ul.uploads li[data-uploaded]");
    await done.waitFor({ timeout: 60_000 });
    expect(cut).toBe(true);
    expect(patches).toBeGreaterThanOrEqual(4);
    await expect(page.locator("#f-attachments-input").inputValue()).resolves.toBe("");

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
