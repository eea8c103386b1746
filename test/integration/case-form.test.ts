import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { formBody } from "../helpers/form.ts";
import { call, ORIGIN } from "../helpers/http.ts";

/**
 * The case file in steps, as a browser without JavaScript walks it: each page
 * posts its own part, the draft follows in a session cookie, the task list
 * says what is done, the check page lists everything, and sending stores it.
 */
class Browser {
  cookie = "";
  readonly client = `203.0.113.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;

  private remember(response: Response) {
    const set = response.headers.getSetCookie().find((c) => c.startsWith("draft="));
    if (set) this.cookie = set.split(";")[0] as string;
    return response;
  }

  async get(path: string) {
    return this.remember(await call(path, { headers: { "CF-Connecting-IP": this.client, Cookie: this.cookie } }));
  }

  async post(path: string, fields: [string, string][]) {
    const response = await call(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: ORIGIN,
        "CF-Connecting-IP": this.client,
        Cookie: this.cookie,
      },
      body: formBody(fields).toString(),
    });
    return this.remember(response);
  }
}

const ORGANISATION: [string, string][] = [
  ["submitter.organization", "مرصد الحقوق"],
  ["submitter.country", "SY"],
  ["submitter.contact_name", "Rana"],
  ["submitter.contact_email", "rana@example.org"],
  ["submitter.may_be_named", "no"],
  ["co_signers[0].organization", "Second Watch"],
  ["co_signers[0].may_be_named", "yes"],
];
const TARGET_ONE: [string, string][] = [
  ["target.kind", "person"],
  ["target.name", "العقيد سامر خليل"],
  ["target.script", "Arab"],
  ["target.name_latin", "Samer Khalil"],
  ["target.name_parts.given", "Samer"],
  ["target.name_parts.family", "Khalil"],
  ["target.positions[0].title", "Commander"],
  ["target.positions[0].public_official", "yes"],
];
const TARGET_TWO: [string, string][] = [
  ["target.kind", "entity"],
  ["target.name", "Al-Nour Trading LLC"],
  ["target.addresses[0].text", "Office 4, Damascus"],
  ["target.addresses[0].country", "SY"],
];
const CONDUCT: [string, string][] = [
  ["conduct.categories[]", "torture"],
  ["conduct.involvement[]", "ordered"],
  ["conduct.involvement[]", "unknown"],
  ["conduct.country", "SY"],
  ["conduct.period_unknown", "yes"],
  ["conduct.summary", "Detainees were tortured at the branch under the colonel's command during 2019 and 2020."],
  ["conduct.victim_profiles[]", "journalist"],
];

function statusOf(html: string, page: string): string | undefined {
  return new RegExp(`id="status-${page}"[^>]*data-status="([a-z_]+)"`).exec(html)?.[1];
}

describe("the case file in steps, without JavaScript", () => {
  it("walks a two-target case across the task list, checks it and sends it as version 2", async () => {
    const b = new Browser();
    const list = await b.get("/ar/form");
    expect(list.status).toBe(200);
    const first = await list.text();
    expect(statusOf(first, "organisation")).toBe("not_started");
    expect(statusOf(first, "relations")).toBe("optional");

    // Each page continues to the task list when it holds up.
    const pages: [string, [string, string][]][] = [
      ["/ar/form/organisation", ORGANISATION],
      ["/ar/form/target/1", TARGET_ONE],
      ["/ar/form/target/2", TARGET_TWO],
      ["/ar/form/conduct", CONDUCT],
      ["/ar/form/programmes", [["jurisdictions[]", "undecided"]]],
      [
        "/ar/form/relations",
        [
          ["relations[0].from", "1"],
          ["relations[0].kind", "owns"],
          ["relations[0].to", "null"],
          ["relations[0].name", "Cousin Holdings"],
          ["relations[1].from", "0"],
          ["relations[1].kind", "controls"],
          ["relations[1].to", "1"],
        ],
      ],
      [
        "/ar/form/evidence",
        [
          ["evidence.description", "Two testimonies and a company register extract."],
          ["evidence.items[0].kind", "testimony"],
          ["evidence.items[0].description", "A former detainee's account."],
          ["evidence.items[0].consent.governments", "yes"],
          ["evidence.items[0].consent.public", "no"],
        ],
      ],
      [
        "/ar/form/safety",
        [
          ["safety.risk_level", "high"],
          ["safety.consent_to_share", "yes"],
        ],
      ],
    ];
    for (const [path, fields] of pages) {
      const answer = await b.post(path, [...fields, ["intent", "continue"]]);
      expect(answer.status, `${path}: ${answer.status === 422 ? await answer.text() : ""}`).toBe(303);
      expect(answer.headers.get("Location")).toBe("/ar/form");
    }
    expect(b.cookie).toMatch(/^draft=/);

    const done = await (await b.get("/ar/form")).text();
    for (const page of ["target-1", "target-2", "organisation", "relations", "conduct", "evidence", "safety"]) {
      expect(statusOf(done, page), page).toBe("completed");
    }
    expect(statusOf(done, "incidents")).toBe("optional");
    expect(done).toContain("Al-Nour Trading LLC");

    // The check page: every answer in words, nothing missing, a button to send.
    const review = await (await b.get("/ar/form/review")).text();
    expect(review).not.toContain('data-testid="unfinished"');
    expect(review).toContain(catalogues.ar["relation.owns"]);
    expect(review).toContain("Cousin Holdings");
    expect(review).toContain(catalogues.ar["jurisdiction.undecided"]);
    expect(review).toContain(catalogues.ar["case.send"]);
    const token = /name="_token" value="([^"]+)"/.exec(review)?.[1] as string;

    const sent = await b.post("/ar/form/send", [["_token", token]]);
    expect(sent.status).toBe(201);
    const receipt = await sent.text();
    const reference = /data-testid="reference"[^>]*>([^<]+)</.exec(receipt)?.[1] as string;
    expect(reference).toMatch(/^REC-/);

    const row = await env.DB.prepare("SELECT record FROM recommendations WHERE reference = ?")
      .bind(reference)
      .first<{ record: string }>();
    const record = JSON.parse(row?.record as string);
    expect(record.schema_version).toBe(2);
    expect(record.targets.map((t: { name: string }) => t.name)).toEqual(["العقيد سامر خليل", "Al-Nour Trading LLC"]);
    expect(record.targets[0].positions[0].public_official).toBe(true);
    expect(record.relations).toEqual([
      { from: 1, to: null, kind: "owns", name: "Cousin Holdings" },
      { from: 0, to: 1, kind: "controls" },
    ]);
    expect(record.conduct.involvement).toEqual(["ordered", "unknown"]);
    expect(record.conduct.period_unknown).toBe(true);
    expect(record.jurisdictions).toEqual(["undecided"]);
    expect(record.co_signers).toEqual([{ organization: "Second Watch", may_be_named: true }]);
    expect(record.evidence.items[0].consent).toEqual({ governments: true, public: false });

    // Sent: the browser's resubmit sends nothing twice, and going back shows nothing of what was sent.
    const again = await b.post("/ar/form/send", [["_token", token]]);
    expect(again.status).toBe(303);
    const after = await (await b.get("/ar/form")).text();
    expect(after).toContain(reference);
    expect(after).not.toContain("Al-Nour Trading LLC");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM recommendations WHERE reference = ?")
      .bind(reference)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("lists every missing field of a whole empty page by its label, and keeps what was typed", async () => {
    const b = new Browser();
    const empty = await b.post("/fr/form/organisation", [["intent", "continue"]]);
    expect(empty.status).toBe(422);
    const html = await empty.text();
    for (const key of [
      "field.submitter.organization",
      "field.submitter.country",
      "field.submitter.contact_name",
      "field.submitter.contact_email",
      "field.submitter.may_be_named",
    ] as const) {
      expect(html, key).toContain(`${catalogues.fr[key]}: ${catalogues.fr["errors.required"]}`);
    }
    expect(html).not.toMatch(/submitter\.\w+:/);
    expect(html).toContain(catalogues.fr["errors.summary_count"].replace("{count}", "5"));

    // Only this page's problems: nothing about targets or conduct.
    expect(html).not.toContain(catalogues.fr["field.conduct.summary"]);

    const partly = await b.post("/fr/form/conduct", [
      ["conduct.summary", "trop court"],
      ["conduct.categories[]", "bribery"],
      ["intent", "continue"],
    ]);
    expect(partly.status).toBe(422);
    const conduct = await partly.text();
    expect(conduct).toContain(">trop court</textarea>");
    // Start date required unless "I do not know", reported alongside the others.
    expect(conduct).toContain(`${catalogues.fr["field.conduct.period_start"]}: ${catalogues.fr["errors.required"]}`);
    expect(conduct).toContain(`${catalogues.fr["field.conduct.involvement"]}: ${catalogues.fr["errors.required"]}`);

    const list = await (await b.get("/fr/form")).text();
    expect(statusOf(list, "conduct")).toBe("in_progress");
    expect(statusOf(list, "organisation")).toBe("not_started");

    // The check page names what is left and offers no send button.
    const review = await (await b.get("/fr/form/review")).text();
    expect(review).toContain('data-testid="unfinished"');
    expect(review).not.toContain(catalogues.fr["case.send"]);
    expect(review).toContain('href="/fr/form/conduct"');
  });

  it("keeps what was typed when the language changes, and shows the page in the new language", async () => {
    const b = new Browser();
    const switched = await b.post("/ru/form/target/1", [
      ["target.name", "Иван Петров"],
      ["target.kind", "person"],
      ["intent", "language"],
    ]);
    expect(switched.status).toBe(200);
    const html = await switched.text();
    expect(html).toContain('lang="ru"');
    expect(html).toContain('value="Иван Петров"');
    expect(html).toContain(catalogues.ru["case.continue"]);
    // Saved, not judged: no errors shown for a page half done.
    expect(html).not.toContain("error-summary");
    const bn = await (await b.get("/bn/form/target/1")).text();
    expect(bn).toContain('value="Иван Петров"');
  });

  it("removes a target, and relations keep pointing at the same people", async () => {
    const b = new Browser();
    for (const name of ["First", "Second", "Third"]) {
      const n = ["First", "Second", "Third"].indexOf(name) + 1;
      const answer = await b.post(`/en/form/target/${n}`, [
        ["target.kind", "person"],
        ["target.name", name],
        ["intent", "continue"],
      ]);
      expect(answer.status).toBe(303);
    }
    await b.post("/en/form/relations", [
      ["relations[0].from", "0"],
      ["relations[0].kind", "family"],
      ["relations[0].to", "1"],
      ["relations[1].from", "2"],
      ["relations[1].kind", "commands"],
      ["relations[1].to", "0"],
      ["intent", "continue"],
    ]);
    const removed = await b.post("/en/form/target/2", [["intent", "remove"]]);
    expect(removed.status).toBe(303);
    const list = await (await b.get("/en/form")).text();
    expect(list).toContain("First");
    expect(list).toContain("Third");
    expect(list).not.toContain("Second");
    const relations = await (await b.get("/en/form/relations")).text();
    // "Third commands First" is now target 2 → target 1; the relation to "Second" is gone.
    expect(relations).toMatch(/<option value="1" selected="">2\. Third<\/option>/);
    expect(relations).toContain('<option value="family"');
    expect(relations).not.toMatch(/<option value="family" selected/);
  });

  it("saves for later with a code that opens the task list in another browser", async () => {
    const b = new Browser();
    const saved = await b.post("/ar/form/target/1", [
      ["target.kind", "person"],
      ["target.name", "لاحقا"],
      ["intent", "save_draft"],
    ]);
    expect(saved.status).toBe(200);
    const code = /data-testid="draft-code"[^>]*>([^<]+)</.exec(await saved.text())?.[1] as string;
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);

    const other = new Browser();
    const opened = await other.post("/en/drafts/open", [["draft_code", code]]);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("Location")).toBe("/en/form");
    expect(other.cookie).toMatch(/^draft=/);
    const list = await (await other.get("/en/form")).text();
    expect(list).toContain("لاحقا");
  });

  it("adds a row without losing the page, and refuses a page that does not exist", async () => {
    const b = new Browser();
    const added = await b.post("/es/form/incidents", [
      ["conduct.incidents[0].description", "Una redada"],
      ["conduct.incidents[0].victims_count", "12"],
      ["_add", "conduct.incidents"],
    ]);
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain('name="conduct.incidents[1].description"');
    expect(html).toContain('value="12"');
    expect((await b.get("/es/form/nothing")).status).toBe(404);
    expect((await b.get("/es/form/target/11")).status).toBe(404);
    const skip = await b.get("/es/form/target/5");
    expect(skip.status).toBe(303);
    expect(skip.headers.get("Location")).toBe("/es/form/target/1");
  });
});

describe("the evidence page without JavaScript, with files over the form's limit", () => {
  it("comes back (413) with what was typed, keeps it in the draft, and names the files to send later", async () => {
    const b = new Browser();
    await b.get("/fr/form");
    const data = new FormData();
    data.append("evidence.description", "Deux témoignages, gardés malgré le refus.");
    data.append("attachments", new File([new Uint8Array(32 * 1024 * 1024)], "video.mp4"));
    data.append("intent", "continue");
    const res = await call("/fr/form/evidence", {
      method: "POST",
      headers: { Origin: ORIGIN, "CF-Connecting-IP": b.client, Cookie: b.cookie },
      body: data,
    });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain("Deux témoignages, gardés malgré le refus.");
    expect(html).toContain("video.mp4 (32 MiB)");
    // The draft kept the text: the page shows it again on its own.
    const set = res.headers.getSetCookie().find((c) => c.startsWith("draft="));
    if (set) b.cookie = set.split(";")[0] as string;
    expect(await (await b.get("/fr/form/evidence")).text()).toContain("Deux témoignages, gardés malgré le refus.");
    const files = await env.DB.prepare(
      "SELECT count(*) AS n FROM attachments WHERE filename = 'video.mp4'",
    ).first<number>("n");
    expect(files).toBe(0);
  });
});
