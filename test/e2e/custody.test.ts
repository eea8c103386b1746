import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useChromium } from "./browser.ts";
import { addStaff, baseUrl, signedInPage, submitViaApi, uploadViaTus } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "dossier-packet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("custody in Chromium", () => {
  const chromium = useChromium();

  it("a coordinator downloads a signed packet, and npm run verify checks it against the published key", async () => {
    const pdf = new TextEncoder().encode(`%PDF-1.7\n% a detention order ${crypto.randomUUID()}\n%%EOF\n`);
    const attachment = await uploadViaTus(pdf, "order.pdf");
    const name = `Packet journey ${Date.now()}`;
    const { reference } = await submitViaApi(name, { attachments: [attachment] });

    const coordinator = await signedInPage(chromium(), addStaff("coordinator"));
    await coordinator.getByLabel("Target name or reference").fill(reference);
    await Promise.all([
      coordinator.waitForURL(/\/review\?/),
      coordinator.getByRole("button", { name: "Apply" }).click(),
    ]);
    await Promise.all([
      coordinator.waitForURL(/\/review\/[\w-]+$/),
      coordinator.getByTestId("queue").getByRole("link", { name: reference }).click(),
    ]);
    await expect(coordinator.locator('[data-testid="custody"]').textContent()).resolves.toContain("The record holds");
    const [download] = await Promise.all([
      coordinator.waitForEvent("download"),
      coordinator.getByRole("link", { name: "Download the signed packet" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${reference}-packet.zip`);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);

    const verified = spawnSync(
      "npm",
      ["run", "-s", "verify", "--", file, "--key", `${baseUrl}/.well-known/dossier-signing-keys.json`],
      { encoding: "utf8" },
    );
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("VERIFIED");
    expect(verified.stdout).toContain("1 evidence files against the event log");
  });
});
