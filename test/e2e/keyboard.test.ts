import { describe, expect, it } from "vitest";
import { useChromium } from "./browser.ts";
import { baseUrl } from "./helpers.ts";

describe("keyboard and pointer", () => {
  const chromium = useChromium();

  it("the form can be completed with the keyboard alone, with the focus always visible", async () => {
    const page = await (await chromium().newContext()).newPage();
    await page.goto(`${baseUrl}/en/`);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          name: el.getAttribute("name") ?? el.textContent?.trim() ?? "",
          type: (el as HTMLInputElement).type ?? "",
          value: (el as HTMLInputElement).value ?? "",
          outline: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
        };
      });
    // Tab to each field in turn; type, or pick with the arrow keys and space.
    const answers: Record<string, () => Promise<void>> = {
      "submitter.organization": () => page.keyboard.type("Keyboard org"),
      "submitter.country": () => page.keyboard.type("Ukraine"),
      "submitter.contact_name": () => page.keyboard.type("K. Board"),
      "submitter.contact_email": () => page.keyboard.type("k@example.org"),
      "submitter.may_be_named": () => page.keyboard.press("Space"),
      "target.kind": () => page.keyboard.press("Space"),
      "target.name": () => page.keyboard.type("Keyboard Target"),
      "conduct.categories[]": () => page.keyboard.press("Space"),
      "conduct.involvement": () => page.keyboard.press("Space"),
      "conduct.country": () => page.keyboard.type("Ukraine"),
      "conduct.period_start": () => page.keyboard.type("2022"),
      "conduct.summary": () =>
        page.keyboard.type("Described entirely with the keyboard, long enough for the minimum length."),
      "jurisdictions[]": () => page.keyboard.press("Space"),
      "evidence.description": () => page.keyboard.type("Statements"),
      "safety.risk_level": () => page.keyboard.press("Space"),
      "safety.consent_to_share": () => page.keyboard.press("Space"),
    };
    const done = new Set<string>();
    let unfocusedOutline = 0;
    for (let presses = 0; presses < 400 && done.size < Object.keys(answers).length; presses++) {
      await page.keyboard.press("Tab");
      const now = await focused();
      if (!now.outline) unfocusedOutline++;
      const answer = answers[now.name];
      if (answer && !done.has(now.name)) {
        await answer();
        done.add(now.name);
      }
    }
    expect([...done].sort()).toEqual(Object.keys(answers).sort());
    expect(unfocusedOutline).toBe(0);
    // Enter in a text field sends the form.
    await page.focus('[name="target.name"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    await expect(page.locator('[data-testid="reference"]').textContent()).resolves.toMatch(/^REC-/);
  });

  it("every control and link of the form is at least 24 px high (WCAG 2.2 target size)", async () => {
    const page = await (await chromium().newContext()).newPage();
    await page.goto(`${baseUrl}/ar/`);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("a, button, input:not([type=hidden]), select, textarea, label.option")]
        .filter(
          (el) =>
            el.offsetParent !== null && !(el instanceof HTMLInputElement && ["radio", "checkbox"].includes(el.type)),
        )
        .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
        .filter(({ h }) => h < 24),
    );
    expect(small).toEqual([]);
  });
});
