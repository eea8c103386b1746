import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { type RecommendationInput, RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { formBody, toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";

const token = await createToken(["export", "contact"]);

/** A unit and its commander, and the commander's company: version 2 as a client sends it. */
function twoTargets(tag: string): RecommendationInput {
  const rec = upgrade(RecommendationV1.parse(sampleRecommendation({ targetName: `Colonel ${tag}` })));
  rec.targets.push({
    ...(rec.targets[0] as RecommendationInput["targets"][number]),
    kind: "entity",
    name: `Unit 00000 ${tag}`,
    script: "Latn",
    aliases: [],
    identifiers: [],
    positions: [],
    addresses: [{ text: "Military town 1, Rostov-on-Don", country: "RU" }],
  });
  rec.relations = [
    { from: 0, to: 1, kind: "commands" },
    { from: 0, to: null, kind: "owns", name: "Nominee Holdings Ltd" },
  ];
  rec.conduct.involvement = ["ordered", "leader"];
  rec.conduct.victim_profiles = ["journalist"];
  rec.evidence.items = [
    {
      kind: "testimony",
      description: "Statement of a former detainee",
      attachments: [],
      consent: { governments: true, public: false },
    },
  ];
  return rec;
}

async function read(id: string): Promise<Record<string, any>> {
  const res = await call(`/api/v1/recommendations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

describe("case file version 2", () => {
  it("takes several targets and their relations through the API, and answers in version 2", async () => {
    const sent = twoTargets("A");
    const res = await postJson("/api/v1/recommendations", sent);
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const stored = await read(id);
    expect(stored).toMatchObject({
      schema_version: 2,
      targets: [
        expect.objectContaining({ name: "Colonel A", kind: "person" }),
        expect.objectContaining({ name: "Unit 00000 A", kind: "entity", addresses: sent.targets[1]?.addresses }),
      ],
      relations: sent.relations,
      conduct: expect.objectContaining({ involvement: ["ordered", "leader"], victim_profiles: ["journalist"] }),
      evidence: expect.objectContaining({ items: sent.evidence.items }),
    });
    expect(stored.submitter.contact_email).toBe("olena@example.org");
    // The queue names it by its first target.
    const row = await env.DB.prepare("SELECT target_name FROM recommendations WHERE id = ?").bind(id).first();
    expect(row).toEqual({ target_name: "Colonel A" });
  });

  it("refuses a relation to a target that is not named, saying where", async () => {
    const sent = twoTargets("B");
    sent.relations = [{ from: 0, to: 7, kind: "commands" }];
    const res = await postJson("/api/v1/recommendations", sent);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(["relations[0].to"]);
  });

  it("still takes version 1, stores it as version 2, and names version 1's fields when it is wrong", async () => {
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: "Version One" }));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const record = await env.DB.prepare("SELECT record FROM recommendations WHERE id = ?")
      .bind(id)
      .first<string>("record");
    expect(JSON.parse(record as string)).toMatchObject({ schema_version: 2, targets: [{ name: "Version One" }] });

    const broken = { ...sampleRecommendation(), target: { kind: "person" } };
    const refused = await postJson("/api/v1/recommendations", broken);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toContain("target.name");
  });

  it("reads a recommendation stored in version 1 by the previous code as version 2, on the API and the detail page", async () => {
    // Stored as the code before version 2 stored it: the record in version 1.
    const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName: "Stored Long Ago" }));
    const { id } = (await res.json()) as { id: string };
    const v2 = await env.DB.prepare("SELECT record FROM recommendations WHERE id = ?").bind(id).first<string>("record");
    const {
      schema_version: _v,
      targets,
      co_signers: _c,
      relations: _r,
      conduct,
      evidence,
      ...rest
    } = JSON.parse(v2 as string);
    const { items: _i, ...evidenceV1 } = evidence;
    const { victim_profiles: _p, incidents: _n, involvement, ...conductV1 } = conduct;
    const { addresses: _a, ...target } = targets[0];
    const v1 = { ...rest, target, conduct: { ...conductV1, involvement: involvement[0] }, evidence: evidenceV1 };
    await env.DB.prepare("UPDATE recommendations SET record = ? WHERE id = ?").bind(JSON.stringify(v1), id).run();

    const read1 = await read(id);
    expect(read1).toMatchObject({ schema_version: 2, targets: [{ name: "Stored Long Ago", addresses: [] }] });
    expect(read1.conduct.involvement).toEqual([v1.conduct.involvement]);
    const reviewer = await staffSession("reviewer");
    const page = await (await call(`/review/${id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain('data-testid="target"');
    expect(page).toContain("Stored Long Ago");
  });

  it("accepts what no programme asked for can reach, and says so in the sender's language", async () => {
    const sent = twoTargets("C");
    sent.conduct.categories = ["bribery"];
    sent.jurisdictions = ["eu_global_human_rights", "us_7031c"];
    const res = await postJson("/api/v1/recommendations", sent, { "Accept-Language": "fr" });
    expect(res.status).toBe(201);
    const { id, warnings } = (await res.json()) as {
      id: string;
      warnings: { path: string; code: string; message: string }[];
    };
    const fr = catalogues.fr;
    expect(warnings).toEqual([
      {
        path: "jurisdictions[0]",
        code: "regime_mismatch",
        message: fr["regime.category"].replace("{programme}", fr["jurisdiction.eu_global_human_rights"]),
      },
      {
        path: "targets[1].kind",
        code: "regime_mismatch",
        message: fr["regime.kind"].replace("{programme}", fr["jurisdiction.us_7031c"]),
      },
      {
        path: "jurisdictions[1]",
        code: "regime_mismatch",
        message: fr["regime.official"].replace("{programme}", fr["jurisdiction.us_7031c"]),
      },
    ]);
    // Flagged to reviewers on the detail page.
    const reviewer = await staffSession("reviewer");
    const page = await (await call(`/review/${id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain('data-testid="regime-warnings"');
    expect(page).toContain(catalogues.en["regime.kind"].replace("{programme}", catalogues.en["jurisdiction.us_7031c"]));
  });

  it("shows the warnings on the receipt page of the form, in its language", async () => {
    const html = await (await call("/ar/")).text();
    const token = /name="_token" value="([^"]+)"/.exec(html)?.[1] as string;
    const rec = sampleRecommendation({ targetName: "Receipt warning" });
    rec.conduct.categories = ["bribery"];
    rec.jurisdictions = ["eu_global_human_rights"];
    const res = await call("/ar/recommendations", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: formBody([["_token", token], ...toFormFields(rec)]).toString(),
    });
    expect(res.status).toBe(201);
    const ar = catalogues.ar;
    const receipt = await res.text();
    expect(receipt).toContain(ar["regime.title"]);
    expect(receipt).toContain(ar["regime.category"].replace("{programme}", ar["jurisdiction.eu_global_human_rights"]));
  });

  it("shows reviewers the targets as cards with their relations, the risk first, words not codes, consent per item", async () => {
    const res = await postJson("/api/v1/recommendations", twoTargets("D"));
    const { id } = (await res.json()) as { id: string };
    const reviewer = await staffSession("reviewer");
    const page = await (await call(`/review/${id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page.indexOf('data-testid="risk" data-risk="high"')).toBeLessThan(page.indexOf('data-testid="target"'));
    expect(page.match(/data-testid="target"/g)).toHaveLength(2);
    expect(page).toContain('<span dir="auto">Colonel D</span>');
    expect(page).toMatch(/commands <span dir="auto">2\. Unit 00000 D<\/span>/);
    expect(page).toContain('owns <span dir="auto">Nominee Holdings Ltd (not recommended)</span>');
    // Country names and labels, not codes.
    expect(page).toContain("Ukraine");
    expect(page).toContain("An entity (company, military unit, agency or other organisation)");
    expect(page).toContain("Military town 1, Rostov-on-Don</span> (Russia)");
    expect(page).toContain("journalists");
    expect(page).toMatch(/data-testid="consent">may go to governments · not public/);
  });

  it("finds a recommendation in the queue by any of its targets, not only the first", async () => {
    const res = await postJson("/api/v1/recommendations", twoTargets("E"));
    const { reference } = (await res.json()) as { reference: string };
    const reviewer = await staffSession("reviewer");
    for (const q of ["Colonel E", "Unit 00000 E", "unit 00000 e"]) {
      const page = await (
        await call(`/review?q=${encodeURIComponent(q)}`, { headers: { Cookie: reviewer.cookie } })
      ).text();
      expect(page, q).toContain(reference);
    }
    const api = await call(`/api/v1/recommendations?limit=500`, { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
  });
});
