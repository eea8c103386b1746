import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Statistics } from "../../worker/domain/stats.ts";
import { call, postJson } from "../helpers/http.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";
import { walkToApproved } from "../helpers/workflow.ts";

async function approved(name: string): Promise<string> {
  const { id } = await submitSample(name);
  await walkToApproved(id);
  return id;
}

describe("the coalition's figures", () => {
  it("counts steps, countries and categories, filings and outcomes per programme, median days and multilateral gaps", async () => {
    const token = await createToken(["review"]);
    const auth = { Authorization: `Bearer ${token}` };
    const fileWith = async (id: string, programme: string, filed_on: string) =>
      (
        (await (
          await postJson(
            `/api/v1/recommendations/${id}/filings`,
            { programme, filed_on, channel: "email", addressee: "x" },
            auth,
          )
        ).json()) as { filing: { id: string } }
      ).filing.id;
    const answer = (id: string, filing: string, outcome: string, on: string) =>
      postJson(`/api/v1/recommendations/${id}/filings/${filing}/outcome`, { outcome, on }, auth);

    // One designated by the US after 100 days, declined by the UK, the EU still to answer: a gap.
    const a = await approved("Stats Person One");
    await answer(a, await fileWith(a, "us_glomag", "2026-01-01"), "designated", "2026-04-11");
    await answer(a, await fileWith(a, "uk_global_human_rights", "2026-01-05"), "not_designated", "2026-03-01");
    await fileWith(a, "eu_global_human_rights", "2026-01-06");
    // One designated by the US after 40 days, nothing else: a gap too.
    const b = await approved("Stats Person Two");
    await answer(b, await fileWith(b, "us_glomag", "2026-02-01"), "designated", "2026-03-13");
    // One filed and waiting: no gap.
    const c = await approved("Stats Person Three");
    await fileWith(c, "ca_magnitsky", "2026-02-10");
    await submitSample("Stats Person Four");

    const res = await call("/api/v1/stats", { headers: auth });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as Statistics;
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM recommendations").first<{ n: number }>();
    expect(stats.total).toBe(rows?.n);
    // The first waits for the EU, so it is still filed; the second has every answer.
    expect(stats.by_step.designated).toBe(1);
    expect(stats.by_step.filed).toBe(2);
    expect(stats.by_country.UA).toBe(rows?.n);
    expect(stats.by_category.torture).toBe(rows?.n);
    expect(stats.by_programme.us_glomag).toEqual({
      filed: 2,
      designated: 2,
      not_designated: 0,
      pending: 0,
      share_designated: 1,
      median_days: 70,
    });
    expect(stats.by_programme.uk_global_human_rights).toMatchObject({
      filed: 1,
      not_designated: 1,
      share_designated: 0,
    });
    expect(stats.by_programme.eu_global_human_rights).toMatchObject({ filed: 1, pending: 1 });
    expect(stats.by_programme.au_magnitsky).toMatchObject({ filed: 0, share_designated: null, median_days: null });
    expect(stats.median_days).toBe(70);
    expect(stats.multilateral.count).toBe(2);
    const gap = stats.multilateral.items.find((g) => g.rec_id === a);
    expect(gap).toMatchObject({ designated_by: ["US"], awaiting: ["EU"], declined: ["GB"], not_filed: ["CA", "AU"] });
    expect(gap?.reference).toMatch(/^REC-/);

    expect((await call("/api/v1/stats")).status).toBe(401);

    // The dashboard shows the same, as SVG charts with their tables, to any staff member.
    const staff = await staffSession("reviewer");
    const page = await (await call("/dashboard", { headers: { Cookie: staff.cookie } })).text();
    expect(page).toContain("<svg");
    expect(page).not.toContain("<script");
    expect(page).toMatch(
      /<tr data-programme="us_glomag"><td>[^<]+<\/td><td>2<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>100%<\/td><td>70<\/td>/,
    );
    expect(page).toContain(`href="/review/${a}"`);
    expect((await call("/dashboard")).status).toBe(303);
  });
});
