import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { importList, rescreenAfterImport } from "../../worker/services/lists.ts";
import { call, ORIGIN, postForm, postJson } from "../helpers/http.ts";
import { createStaff, createToken, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";
import { walkToApproved } from "../helpers/workflow.ts";

/** A recommendation walked to `approved`. */
async function approved(): Promise<string> {
  return (await approvedWithReceipt()).id;
}

async function approvedWithReceipt(): Promise<{ id: string; receipt: string }> {
  const { id, receipt } = await submitSample();
  await walkToApproved(id);
  return { id, receipt };
}

const US = {
  programme: "us_glomag",
  filed_on: "2026-03-02",
  channel: "portal",
  addressee: "OFAC, Global Magnitsky submissions",
  government_reference: "GM-2026-118",
  note: "Sent with the signed packet",
  packet_sha256: "a".repeat(64),
};
const UK = { programme: "uk_global_human_rights", filed_on: "2026-03-05", channel: "email", addressee: "FCDO" };

interface Recorded {
  step: string;
  filing: { id: string; programme: string; outcome: null | { outcome: string; targets: number[] | null } };
  event: { action: string; data: { filing?: { id: string }; outcome?: { filing: string } } };
}

async function file(id: string, token: string, body: Record<string, unknown>) {
  return postJson(`/api/v1/recommendations/${id}/filings`, body, { Authorization: `Bearer ${token}` });
}
async function outcome(id: string, filing: string, token: string, body: Record<string, unknown>) {
  return postJson(`/api/v1/recommendations/${id}/filings/${filing}/outcome`, body, {
    Authorization: `Bearer ${token}`,
  });
}

describe("filings with governments, through the API", () => {
  it("records one filing per government, each an event; outcomes move the step; GET shows them", async () => {
    const id = await approved();
    const token = await createToken(["review", "export"]);

    const us = await file(id, token, US);
    expect(us.status).toBe(201);
    const usBody = (await us.json()) as Recorded;
    expect(usBody).toMatchObject({ step: "filed", filing: { programme: "us_glomag", outcome: null } });
    expect(usBody.event).toMatchObject({ action: "file", data: { filing: { id: usBody.filing.id } } });

    const uk = (await (await file(id, token, UK)).json()) as Recorded;
    expect(uk.step).toBe("filed");

    // The UK says no: one government still to answer, so still filed.
    const no = await outcome(id, uk.filing.id, token, { outcome: "not_designated", on: "2026-05-01" });
    expect(no.status).toBe(200);
    expect(((await no.json()) as Recorded).step).toBe("filed");

    // The US designates, and every government has answered: designated.
    const yes = await outcome(id, usBody.filing.id, token, {
      outcome: "designated",
      on: "2026-06-12",
      list_reference: "GLOMAG-2026-7",
      source_url: "https://ofac.treasury.gov/recent-actions/20260612",
    });
    const yesBody = (await yes.json()) as Recorded;
    expect(yesBody).toMatchObject({ step: "designated", event: { action: "record_outcome" } });
    expect(yesBody.event.data.outcome?.filing).toBe(usBody.filing.id);

    // A later outcome changes it: the US decision recorded wrongly, corrected to not designated.
    const changed = await outcome(id, usBody.filing.id, token, { outcome: "not_designated", on: "2026-06-12" });
    expect(((await changed.json()) as Recorded).step).toBe("not_designated");

    const one = await call(`/api/v1/recommendations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    const shown = (await one.json()) as { step: string; filings: Recorded["filing"][] };
    expect(shown.step).toBe("not_designated");
    expect(shown.filings.map((f) => [f.programme, f.outcome?.outcome])).toEqual([
      ["us_glomag", "not_designated"],
      ["uk_global_human_rights", "not_designated"],
    ]);

    const events = await recommendationObject(env, id).events();
    expect(events.slice(-5).map((e) => e.action)).toEqual([
      "file",
      "file",
      "record_outcome",
      "record_outcome",
      "record_outcome",
    ]);
  });

  it("files again after a designation (filed until that government answers), and records an outcome for some targets only", async () => {
    const id = await approved();
    const token = await createToken(["review"]);
    const us = (await (await file(id, token, US)).json()) as Recorded;
    await outcome(id, us.filing.id, token, { outcome: "designated", on: "2026-06-12" });
    const uk = await file(id, token, UK);
    expect(((await uk.json()) as Recorded).step).toBe("filed");
    const partial = await outcome(
      id,
      ((await (await file(id, token, { ...UK, programme: "ca_magnitsky" })).json()) as Recorded).filing.id,
      token,
      {
        outcome: "designated",
        on: "2026-07-01",
        targets: [0, 0],
      },
    );
    expect(((await partial.json()) as Recorded).filing.outcome?.targets).toEqual([0]);
  });

  it("refuses what it must: 409 before approval, 422 naming the field, 404 for an unknown filing, 403 for a reviewer", async () => {
    const { id } = await submitSample();
    const token = await createToken(["review"]);
    const early = await file(id, token, US);
    expect(early.status).toBe(409);

    const ready = await approved();
    const bad = await file(ready, token, { ...US, programme: "moon", filed_on: "2026-02-30" });
    expect(bad.status).toBe(422);
    const fields = JSON.stringify(await bad.json());
    expect(fields).toContain('"path":"programme"');
    expect(fields).toContain('"path":"filed_on"');

    const ok = (await (await file(ready, token, US)).json()) as Recorded;
    const unknown = await outcome(ready, "no-such-filing", token, { outcome: "designated", on: "2026-06-12" });
    expect(unknown.status).toBe(404);
    const target = await outcome(ready, ok.filing.id, token, { outcome: "designated", on: "2026-06-12", targets: [5] });
    expect(target.status).toBe(422);
    expect(JSON.stringify(await target.json())).toContain('"path":"targets"');
    const url = await outcome(ready, ok.filing.id, token, {
      outcome: "designated",
      on: "2026-06-12",
      source_url: "javascript:alert(1)",
    });
    expect(url.status).toBe(422);

    const owner = await createStaff("reviewer");
    const reviewers = await createToken(["review"], { ownerId: owner.id });
    expect((await file(ready, reviewers, UK)).status).toBe(403);
  });
});

describe("follow-ups", () => {
  it("marks a filing with no answer after FOLLOW_UP_DAYS from the object's alarm, and the queue shows it", async () => {
    const id = await approved();
    const token = await createToken(["review"]);
    // Filed long ago: its follow-up date has passed.
    const old = (await (await file(id, token, { ...US, filed_on: "2020-01-06" })).json()) as Recorded;
    const object = recommendationObject(env, id);
    await runInDurableObject(object, async (_instance, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
    expect(await runDurableObjectAlarm(object)).toBe(true);
    const filings = (await object.state())?.filings ?? [];
    expect(filings.find((f) => f.id === old.filing.id)?.follow_up_due).toBe(true);
    expect((await object.events()).at(-1)).toMatchObject({ action: "follow_up", actor: "system" });
    const row = await env.DB.prepare(
      "SELECT q.follow_up FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
    )
      .bind(id)
      .first<{ follow_up: number }>();
    expect(row?.follow_up).toBe(1);

    const staff = await staffSession("coordinator");
    const queue = await (await call("/review?follow_up=1", { headers: { Cookie: staff.cookie } })).text();
    expect(queue).toContain(id);

    // An answer ends it.
    await outcome(id, old.filing.id, token, { outcome: "not_designated", on: "2020-09-01" });
    const after = await env.DB.prepare(
      "SELECT q.follow_up FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
    )
      .bind(id)
      .first<{ follow_up: number }>();
    expect(after?.follow_up).toBe(0);
  });
});

describe("filings on the detail page", () => {
  it("gives a refused filing form back with everything typed still in it", async () => {
    const id = await approved();
    const staff = await staffSession("coordinator");
    const headers = { Cookie: staff.cookie, Origin: ORIGIN };
    const refused = await postForm(
      `/review/${id}/filings`,
      {
        _csrf: staff.csrf,
        programme: "ca_magnitsky",
        filed_on: "2026-02-30",
        channel: "letter",
        addressee: "Global Affairs <Canada>",
        government_reference: "GAC-77",
        note: "Delivered by hand",
        packet: "1",
      },
      headers,
    );
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain("filed_on");
    expect(page).toMatch(/<option value="ca_magnitsky" selected="">/);
    expect(page).toMatch(/<option value="letter" selected="">/);
    expect(page).toContain('value="2026-02-30"');
    expect(page).toContain('value="Global Affairs &lt;Canada&gt;"');
    expect(page).toContain('value="GAC-77"');
    expect(page).toMatch(/<textarea[^>]*name="note"[^>]*>Delivered by hand<\/textarea>/);
    expect(page).toMatch(/name="packet" value="1" checked=""/);
  });

  it("lets a coordinator record a filing and its outcome with plain forms", async () => {
    const id = await approved();
    const staff = await staffSession("coordinator");
    const headers = { Cookie: staff.cookie, Origin: ORIGIN };
    const page = await (await call(`/review/${id}`, { headers })).text();
    expect(page).toContain(`action="/review/${id}/filings"`);

    const filed = await postForm(`/review/${id}/filings`, { _csrf: staff.csrf, ...US }, headers);
    expect(filed.status).toBe(303);
    const state = await recommendationObject(env, id).state();
    expect(state?.step).toBe("filed");
    const filingId = state?.filings[0]?.id as string;

    const bad = await postForm(
      `/review/${id}/filings/${filingId}/outcome`,
      { _csrf: staff.csrf, outcome: "maybe" },
      headers,
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("outcome");

    const answer = { outcome: "designated", on: "2026-06-12", list_reference: "GLOMAG-2026-7" };
    // First a second page that says in words what will be recorded; nothing is recorded yet.
    const asked = await postForm(
      `/review/${id}/filings/${filingId}/outcome`,
      { _csrf: staff.csrf, ...answer },
      headers,
    );
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain('data-testid="confirm"');
    expect(confirm).toContain("sanctions imposed on 2026-06-12");
    expect(confirm).toContain('name="list_reference" value="GLOMAG-2026-7"');
    expect((await recommendationObject(env, id).state())?.step).toBe("filed");
    const done = await postForm(
      `/review/${id}/filings/${filingId}/outcome`,
      { _csrf: staff.csrf, ...answer, confirmed: "yes" },
      headers,
    );
    expect(done.status).toBe(303);
    const shown = await (await call(`/review/${id}`, { headers })).text();
    expect(shown).toContain('data-outcome="designated"');
    expect(shown).toContain("GLOMAG-2026-7");
    expect(shown).toContain('data-step="designated"');
  });
});

describe("the designation watch", () => {
  it("suggests an outcome when an import newly lists a filed target with the government asked; a coordinator confirms it", async () => {
    const name = `Zarema Watchtestova ${crypto.randomUUID().slice(0, 4)}`;
    const { id } = await submitSample(name);
    const object = recommendationObject(env, id);
    await walkToApproved(id);
    const token = await createToken(["review", "export"]);
    const us = (await (await file(id, token, US)).json()) as Recorded;
    const uk = (await (await file(id, token, UK)).json()) as Recorded;

    // The UK lists the target; the US list is not touched.
    const entity = `watch-${crypto.randomUUID()}`;
    const imported = await importList(
      env,
      [
        { id: entity, schema: "Person", properties: { name: [name] }, datasets: ["gb_hmt_sanctions"] },
        {
          id: `${entity}-sanction`,
          schema: "Sanction",
          properties: { entity: [entity], programId: ["GB-HR"] },
          datasets: ["gb_hmt_sanctions"],
        },
      ],
      "watch.ftm.ndjson",
    );
    let cursor: string | null = "";
    while (cursor !== null) cursor = (await rescreenAfterImport(env, imported, cursor)).last;

    const one = (await (
      await call(`/api/v1/recommendations/${id}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { suggested_outcomes: { filing_id: string; entity_id: string; score: number; programs: string[] }[] };
    expect(one.suggested_outcomes).toHaveLength(1);
    expect(one.suggested_outcomes[0]).toMatchObject({
      filing_id: uk.filing.id,
      entity_id: entity,
      programs: ["GB-HR"],
    });
    expect(one.suggested_outcomes[0]?.score).toBeGreaterThanOrEqual(0.8);

    const staff = await staffSession("coordinator");
    const headers = { Cookie: staff.cookie, Origin: ORIGIN };
    const queue = await (await call("/review?suggested=1", { headers })).text();
    expect(queue).toContain(id);
    const page = await (await call(`/review/${id}`, { headers })).text();
    expect(page).toContain(`data-entity="${entity}"`);
    const form = /<form method="post" action="(\/review\/[^"]+\/outcome)" class="action">([\s\S]*?)<\/form>/.exec(page);
    expect(form?.[1]).toBe(`/review/${id}/filings/${uk.filing.id}/outcome`);
    const fields = Object.fromEntries(
      [...(form?.[2] ?? "").matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    fields._csrf = staff.csrf;
    expect((await postForm(form?.[1] as string, fields, headers)).status).toBe(200);
    const confirmed = await postForm(form?.[1] as string, { ...fields, confirmed: "yes" }, headers);
    expect(confirmed.status).toBe(303);

    const state = await object.state();
    // The US has still to answer.
    expect(state?.step).toBe("filed");
    const answered = state?.filings.find((f) => f.id === uk.filing.id)?.outcome;
    expect(answered).toMatchObject({ outcome: "designated", targets: [0] });
    expect(answered?.list_reference).toContain(entity);
    expect(state?.filings.find((f) => f.id === us.filing.id)?.outcome).toBeNull();
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM suggested_outcomes WHERE rec_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe("filings in the exports", () => {
  it("gives a row per filing in filings.csv, filings[] in NDJSON, and each Sanction's status from them in FtM", async () => {
    const id = await approved();
    const token = await createToken(["review", "export"]);
    const us = (await (await file(id, token, US)).json()) as Recorded;
    await file(id, token, UK);
    await outcome(id, us.filing.id, token, {
      outcome: "designated",
      on: "2026-06-12",
      list_reference: "GLOMAG-2026-7",
      source_url: "https://ofac.treasury.gov/recent-actions/20260612",
    });
    const auth = { Authorization: `Bearer ${token}` };
    const { reference } = (await (await call(`/api/v1/recommendations/${id}`, { headers: auth })).json()) as {
      reference: string;
    };

    const csv = await (await call("/api/v1/exports/filings.csv?bom=0", { headers: auth })).text();
    const [header, ...rows] = csv.trim().split("\r\n");
    expect(header?.split(",").slice(0, 5)).toEqual([
      "reference",
      "recommendation_id",
      "filing",
      "programme",
      "filed_on",
    ]);
    const mine = rows.filter((r) => r.startsWith(`${reference},`));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toContain("us_glomag,2026-03-02,portal");
    expect(mine[0]).toContain("designated,2026-06-12,,GLOMAG-2026-7,https://ofac.treasury.gov/recent-actions/20260612");
    expect(mine[1]).toContain("uk_global_human_rights,2026-03-05,email,FCDO");
    const labelled = await (await call("/api/v1/exports/filings.csv?bom=0&labels=en", { headers: auth })).text();
    expect(labelled).toContain("United States: Global Magnitsky");

    const ndjson = await (await call("/api/v1/exports/recommendations.ndjson", { headers: auth })).text();
    const line = ndjson
      .trim()
      .split("\n")
      .map(
        (l) => JSON.parse(l) as { id: string; filings: { programme: string; outcome: { outcome: string } | null }[] },
      )
      .find((r) => r.id === id);
    expect(line?.filings.map((f) => [f.programme, f.outcome?.outcome ?? null])).toEqual([
      ["us_glomag", "designated"],
      ["uk_global_human_rights", null],
    ]);

    const ftm = (await (await call("/api/v1/exports/ftm.ndjson", { headers: auth })).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> });
    const sanction = (programme: string) => ftm.find((e) => e.id === `dossier-${id}-sanction-${programme}`);
    expect(sanction("us_glomag")?.properties).toMatchObject({
      status: ["Designated"],
      startDate: ["2026-06-12"],
      authorityId: ["GLOMAG-2026-7"],
    });
    expect(sanction("uk_global_human_rights")?.properties.status).toEqual(["Filed"]);
  });
});

describe("what the submitter sees", () => {
  it("says which governments acted and when, in their language, and nothing about whom it was sent to", async () => {
    const { id, receipt } = await approvedWithReceipt();
    const token = await createToken(["review"]);
    const us = (await (await file(id, token, US)).json()) as Recorded;
    await file(id, token, UK);
    await outcome(id, us.filing.id, token, { outcome: "designated", on: "2026-06-12" });

    const api = (await (await postJson("/api/v1/status", { receipt })).json()) as { decisions: unknown[] };
    expect(api.decisions).toEqual([{ programme: "us_glomag", outcome: "designated", on: "2026-06-12" }]);

    const page = await call("/fr/status", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: new URLSearchParams({ receipt }).toString(),
    });
    const html = await page.text();
    expect(html).toContain("Ce que les gouvernements ont décidé");
    expect(html).toContain("sanctions imposées le 2026-06-12");
    expect(html).not.toContain("OFAC");
    expect(html).not.toContain("FCDO");
  });
});
