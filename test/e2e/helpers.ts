import { spawnSync } from "node:child_process";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { expect, inject } from "vitest";
import { currentTotp } from "../../worker/security/totp.ts";

export const baseUrl = inject("baseUrl");

/** `npm run <script> -- …` against the same local state the running server uses. */
export function npmRun(script: string, args: string[]): string {
  const result = spawnSync("npm", ["run", "-s", script, "--", ...args], {
    env: { ...process.env, DOSSIER_STATE: inject("stateDir") },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** A new staff member made with `npm run staff -- add`; returns the email and the printed password. */
export function addStaff(role: "reviewer" | "coordinator" | "admin"): {
  email: string;
  password: string;
  totp?: string;
} {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
  const out = npmRun("staff", ["add", "--email", email, "--role", role]);
  const password = /Password \(shown once\): (\S+)/.exec(out)?.[1];
  expect(password).toBeTruthy();
  const totp = /Secret: (\S+)/.exec(out)?.[1];
  expect(totp).toBeTruthy();
  return { email, password: password as string, totp };
}

/** Uploads a file with the tus protocol (one PATCH), as a client of its own; returns the upload id. */
export async function uploadViaTus(bytes: Uint8Array<ArrayBuffer>, filename: string): Promise<string> {
  const client = { "Tus-Resumable": "1.0.0", "CF-Connecting-IP": `e2e-upload-${crypto.randomUUID()}` };
  const created = await fetch(`${baseUrl}/uploads`, {
    method: "POST",
    headers: {
      ...client,
      "Upload-Length": String(bytes.length),
      "Upload-Metadata": `filename ${Buffer.from(filename).toString("base64")}`,
    },
  });
  expect(created.status).toBe(201);
  const location = created.headers.get("Location") ?? "";
  const patched = await fetch(new URL(location, baseUrl), {
    method: "PATCH",
    headers: { ...client, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
    body: bytes,
  });
  expect(patched.status).toBe(204);
  return location.split("/").pop() as string;
}

/** Signs in through /login in a fresh browser context. */
export async function signedInPage(
  browser: Browser,
  who: { email: string; password: string; totp?: string },
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  if (who.totp) await page.getByLabel("Code from your authenticator app").fill(currentTotp(who.totp));
  await Promise.all([page.waitForURL(`${baseUrl}/review`), page.getByRole("button", { name: "Sign in" }).click()]);
  return page;
}

/**
 * A recommendation submitted through the JSON API, as from a client of its
 * own (the local runtime keeps a given CF-Connecting-IP), so the browser's
 * own submissions keep the per-client limit to themselves.
 */
export async function submitViaApi(targetName: string, overrides: { country?: string; attachments?: string[] } = {}) {
  const res = await fetch(`${baseUrl}/api/v1/recommendations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `e2e-api-${crypto.randomUUID()}` },
    body: JSON.stringify({
      attachments: overrides.attachments ?? [],
      submitter: {
        organization: "Org",
        country: "UA",
        contact_name: "A",
        contact_email: "a@example.org",
        may_be_named: true,
      },
      target: { kind: "person", name: targetName },
      conduct: {
        categories: ["arbitrary_detention"],
        involvement: "ordered",
        country: overrides.country ?? "BY",
        period_start: "2020-08",
        summary: "Ordered the mass detention of peaceful protesters after the election, documented by monitors.",
      },
      jurisdictions: ["uk_global_human_rights"],
      evidence: { description: "Monitoring reports" },
      safety: { risk_level: "high", consent_to_share: true },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; reference: string; receipt: string };
}

/** Fills the whole form as a person would, leaving out `skip`. */
export async function fillForm(page: Page, skip?: string) {
  const text: [string, string][] = [
    ["submitter.organization", "مركز الحريات المدنية"],
    ["submitter.contact_name", "ليلى حسن"],
    ["submitter.contact_email", "layla@example.org"],
    ["target.name", "العقيد سامي الخطيب"],
    ["target.name_latin", "Colonel Sami al-Khatib"],
    ["target.aliases[]", "أبو سامي"],
    ["conduct.period_start", "2021-06"],
    [
      "conduct.summary",
      "أمر باحتجاز عشرات المتظاهرين السلميين وتعذيبهم في مقر الفرع الأمني خلال صيف 2021، بحسب شهادات الناجين.",
    ],
    ["evidence.description", "شهادات مكتوبة من سبعة ناجين وصور طبية"],
  ];
  for (const [name, value] of text) if (name !== skip) await page.locator(`[name="${name}"]`).first().fill(value);
  await page.selectOption('[name="submitter.country"]', "LB");
  await page.selectOption('[name="conduct.country"]', "SY");
  await page.check('[name="submitter.may_be_named"][value="no"]');
  await page.check('[name="target.kind"][value="person"]');
  if (skip !== "conduct.categories") await page.check('[name="conduct.categories[]"][value="torture"]');
  await page.check('[name="conduct.involvement"][value="ordered"]');
  await page.check('[name="jurisdictions[]"][value="eu_global_human_rights"]');
  await page.check('[name="safety.risk_level"][value="high"]');
  await page.check('[name="safety.consent_to_share"][value="yes"]');
}

/** Two coordinators, each in a browser of their own, approve the recommendation at `detail` (in final approval); answers their pages. */
export async function approveByTwo(browser: Browser, detail: string): Promise<[Page, Page]> {
  const first = await signedInPage(browser, addStaff("coordinator"));
  await first.goto(detail);
  await first.getByRole("button", { name: "Approve" }).click();
  await first.locator("table.events", { hasText: "Approve" }).waitFor();
  const second = await signedInPage(browser, addStaff("coordinator"));
  await second.goto(detail);
  await second.locator("form.action").getByRole("button", { name: "Approve" }).click();
  await second.locator('[data-testid="step"][data-step="approved"]').waitFor();
  return [first, second];
}
