import { env } from "cloudflare:workers";
import { defaultModel, Model } from "@opensanctions/followthemoney";
import { parse } from "csv-parse/browser/esm/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { exportColumns, LIST_SEPARATOR, partColumns } from "../../worker/domain/export-columns.ts";
import { toFtm } from "../../worker/domain/ftm.ts";
import { RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { EXPORT_PAGE } from "../../worker/services/export.ts";
import { pdfBytes } from "../helpers/files.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";
import { walkToApproved } from "../helpers/workflow.ts";

type Rec = ReturnType<typeof sampleRecommendation>;

async function submit(rec: unknown): Promise<string> {
  const res = await postJson("/api/v1/recommendations", rec);
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await openedObject(id);
  return id;
}

function get(path: string, token: string) {
  return call(path, { headers: { Authorization: `Bearer ${token}` } });
}

async function text(path: string, token: string): Promise<string> {
  const res = await get(path, token);
  expect(res.status, path).toBe(200);
  return res.text();
}

function ndjson(body: string): Record<string, any>[] {
  return body
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** A recommendation whose texts try every CSV hazard, in Arabic and Chinese. */
function tricky(tag: string): Rec {
  const rec = sampleRecommendation({ targetName: `محمد "أبو علي" ${tag}` });
  rec.target.name_latin = `Muhammad, "Abu Ali" ${tag}`;
  rec.target.aliases = ["习近平的表弟", "Line one\nline two", "Comma, inside"];
  rec.conduct.summary = `第一段：拘留。\r\n第二段："酷刑"，在 ${tag} 发生。 Arabic: تعذيب المعتقلين في السجن المركزي.`;
  rec.conduct.country = "CN";
  rec.jurisdictions = ["eu_global_human_rights", "ca_magnitsky"];
  return rec;
}

/** An official, the unit he commands, his wife (not a target) and a company he directs: version 2, in China. */
function network() {
  const rec = upgrade(RecommendationV1.parse(sampleRecommendation({ targetName: "Official N" })));
  const person = rec.targets[0] as (typeof rec.targets)[number];
  person.addresses = [{ text: "12 Chang'an Avenue, Beijing", country: "CN" }];
  rec.targets.push({
    ...person,
    kind: "entity",
    name: "Unit N",
    identifiers: [],
    positions: [],
    addresses: [],
    aliases: [],
  });
  rec.targets.push({
    ...person,
    kind: "entity",
    name: "Holding N",
    identifiers: [],
    positions: [],
    addresses: [],
    aliases: [],
  });
  rec.relations = [
    { from: 0, to: 1, kind: "commands" },
    { from: 0, to: null, kind: "family", name: "Wife of Official N", note: "wife" },
    { from: 0, to: 2, kind: "director_of" },
    { from: 0, to: 2, kind: "owns", note: "through a nominee" },
    { from: 2, to: null, kind: "owns", name: "Offshore Vehicle N" },
  ];
  rec.conduct.country = "CN";
  rec.jurisdictions = ["eu_global_human_rights"];
  return rec;
}

describe("the list API's cursor", () => {
  it("returns each of 250 recommendations exactly once while more arrive between pages", async () => {
    const token = await createToken(["export"]);
    for (let i = 0; i < 250; i++) {
      const rec = sampleRecommendation({ targetName: `Paging ${i}` });
      rec.conduct.country = "TJ";
      await submit(rec);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pagesRead = 0;
    do {
      const page = (await (
        await get(`/api/v1/recommendations?country=TJ&limit=40${cursor ? `&cursor=${cursor}` : ""}`, token)
      ).json()) as {
        items: { id: string }[];
        next_cursor: string | null;
      };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
      pagesRead++;
      // Others keep submitting meanwhile, and one already listed moves on.
      const late = sampleRecommendation({ targetName: `Paging late ${pagesRead}` });
      late.conduct.country = "TJ";
      if (pagesRead <= 3) await submit(late);
      if (pagesRead === 2) {
        await postJson(
          `/api/v1/recommendations/${seen[0]}/actions`,
          { action: "advance", expected_step: "received" },
          {
            Authorization: `Bearer ${await createToken(["review"])}`,
          },
        );
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(253);
    // 250 intakes, each screened in the background against all the others (the same sample person): slow, not stuck.
  }, 30_000);
});

describe("an export of more rows than one page", () => {
  it("gives every row its own files and filings, on the first page and the last", async () => {
    const token = await createToken(["export", "review"]);
    const ids: string[] = [];
    const shas = new Map<string, string>();
    for (let i = 0; i < EXPORT_PAGE + 2; i++) {
      const rec = sampleRecommendation({ targetName: `Paged ${i}` });
      rec.conduct.country = "TM";
      const withFile = i === 0 || i === EXPORT_PAGE + 1;
      const upload = withFile ? await uploadAll(pdfBytes(3000, 40 + i), `paged-${i}.pdf`) : null;
      const id = await submit(upload ? { ...rec, attachments: [upload] } : rec);
      ids.push(id);
      if (upload) {
        const row = await env.DB.prepare("SELECT sha256 FROM attachments WHERE id = ?")
          .bind(upload)
          .first<{ sha256: string }>();
        shas.set(id, row?.sha256 as string);
      }
    }
    const last = ids.at(-1) as string;
    await walkToApproved(last);
    const filed = await postJson(
      `/api/v1/recommendations/${last}/filings`,
      { programme: "us_glomag", filed_on: "2026-03-02", channel: "portal", addressee: "OFAC" },
      { Authorization: `Bearer ${token}` },
    );
    expect(filed.status).toBe(201);

    const rows = ndjson(await text("/api/v1/exports/recommendations.ndjson?country=TM", token));
    expect(rows.map((r) => r.id)).toEqual(ids);
    for (const row of rows) {
      const sha = shas.get(row.id);
      expect(
        row.files.map((f: { sha256: string }) => f.sha256),
        row.id,
      ).toEqual(sha ? [sha] : []);
      expect(
        row.filings.map((f: { programme: string }) => f.programme),
        row.id,
      ).toEqual(row.id === last ? ["us_glomag"] : []);
    }
  }, 60_000);
});

describe("exports", () => {
  let exportToken: string;
  let contactToken: string;
  let trickyId: string;
  let fileSha: string;
  let networkId: string;

  beforeAll(async () => {
    exportToken = await createToken(["export"]);
    contactToken = await createToken(["export", "contact"]);
    const file = pdfBytes(5000, 21);
    const upload = await uploadAll(file, "témoignage.pdf");
    trickyId = await submit({ ...tricky("T1"), attachments: [upload] });
    fileSha = (
      await env.DB.prepare("SELECT sha256 FROM attachments WHERE id = ?").bind(upload).first<{ sha256: string }>()
    )?.sha256 as string;
    await submit(tricky("T2"));
    networkId = await submit(network());
  });

  it("CSV parses back to the records, Arabic and Chinese intact, lists joined with ` | `", async () => {
    const csv = await text("/api/v1/exports/recommendations.csv?country=CN", exportToken);
    const rows = parse(csv, { columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(exportColumns(false));
    const row = rows.find((r) => r.id === trickyId) as Record<string, string>;
    const rec = tricky("T1");
    expect(row.targets).toBe(rec.target.name);
    expect(row["conduct.summary"]).toBe(rec.conduct.summary);
    expect(row["conduct.involvement"]).toBe(rec.conduct.involvement);
    expect(row.jurisdictions).toBe("eu_global_human_rights | ca_magnitsky");
    expect(row["submitter.may_be_named"]).toBe("false");
    expect(row.files).toContain(`sha256:${fileSha}`);
    expect(row.files).toContain("témoignage.pdf");
    expect(row.link).toBe(`https://dossier.test/review/${trickyId}`);
    expect(rows.every((r) => r["conduct.country"] === "CN")).toBe(true);
  });

  it("has a row per target in the targets export, keyed by the recommendation's reference", async () => {
    const csv = await text("/api/v1/exports/targets.csv?country=CN", exportToken);
    const rows = parse(csv, { columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(partColumns("targets"));
    const row = rows.find((r) => r.recommendation_id === trickyId) as Record<string, string>;
    const rec = tricky("T1");
    expect(row.reference).toMatch(/^REC-\d{4}-\d{5}$/);
    expect(row.target).toBe("1");
    expect(row.name).toBe(rec.target.name);
    expect(row.name_latin).toBe(rec.target.name_latin);
    expect(row.aliases).toBe(rec.target.aliases.join(LIST_SEPARATOR));
    expect(row.identifiers).toBe("passport, 7500123456, RU");
  });

  it("writes words instead of codes in the language asked for", async () => {
    const es = catalogues.es;
    const csv = await text("/api/v1/exports/recommendations.csv?country=CN&labels=es", exportToken);
    const row = (parse(csv, { columns: true }) as Record<string, string>[]).find((r) => r.id === trickyId);
    expect(row?.["conduct.categories"]).toBe(
      [es["category.torture"], es["category.arbitrary_detention"]].join(LIST_SEPARATOR),
    );
    expect(row?.jurisdictions).toBe(
      [es["jurisdiction.eu_global_human_rights"], es["jurisdiction.ca_magnitsky"]].join(LIST_SEPARATOR),
    );
    expect(row?.["safety.risk_level"]).toBe(es["risk.high"]);
    expect(row?.["submitter.may_be_named"]).toBe(es["form.no"]);
    expect(row?.step).toBe(es["step.received"]);
    expect(row?.["conduct.country"]).toBe(new Intl.DisplayNames(["es"], { type: "region" }).of("CN"));
    const targets = await text("/api/v1/exports/targets.csv?country=CN&labels=es", exportToken);
    const target = (parse(targets, { columns: true }) as Record<string, string>[]).find(
      (r) => r.recommendation_id === trickyId,
    );
    expect(target?.kind).toBe(es["field.target.kind.person"]);
    expect(target?.nationalities).toBe(new Intl.DisplayNames(["es"], { type: "region" }).of("RU"));
    // Names people typed stay as typed.
    expect(target?.name).toBe(tricky("T1").target.name);
  });

  it("has a row per evidence item with its consent in the evidence export", async () => {
    const rec = upgrade(RecommendationV1.parse(sampleRecommendation({ targetName: "Evidence items" })));
    rec.conduct.country = "LA";
    rec.evidence.items = [
      {
        kind: "testimony",
        description: "A guard's statement",
        source: "Interview, March 2024",
        attachments: [],
        consent: { governments: true, public: false },
      },
      {
        kind: "open_source",
        description: "Satellite image",
        url: "https://example.org/img",
        attachments: [],
        consent: { governments: true, public: true },
      },
    ];
    const id = await submit(rec);
    const csv = await text("/api/v1/exports/evidence.csv?country=LA", exportToken);
    const rows = (parse(csv, { columns: true, bom: true }) as Record<string, string>[]).filter(
      (r) => r.recommendation_id === id,
    );
    expect(Object.keys(rows[0] ?? {})).toEqual(partColumns("evidence"));
    expect(rows.map((r) => [r.item, r.kind, r.description, r["consent.governments"], r["consent.public"]])).toEqual([
      ["1", "testimony", "A guard's statement", "true", "false"],
      ["2", "open_source", "Satellite image", "true", "true"],
    ]);
  });

  it("leaves contact details out without the contact scope and puts them in with it", async () => {
    const without = await text("/api/v1/exports/recommendations.csv?country=CN", exportToken);
    expect(without).not.toContain("olena@example.org");
    expect(without.split("\r\n")[0]).not.toContain("submitter.contact_email");
    const withContact = await text("/api/v1/exports/recommendations.csv?country=CN", contactToken);
    expect(withContact.split("\r\n")[0]).toContain("submitter.contact_email");
    expect(withContact).toContain("olena@example.org");
    const lines = ndjson(await text("/api/v1/exports/recommendations.ndjson?country=CN", exportToken));
    expect(JSON.stringify(lines)).not.toContain("olena@example.org");
    expect(JSON.stringify(lines)).not.toContain("Witnesses must not be contacted");
  });

  it("prefixes a UTF-8 BOM for spreadsheet programs, unless asked not to", async () => {
    const bytes = new Uint8Array(
      await (await get("/api/v1/exports/recommendations.csv?country=CN", exportToken)).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = new Uint8Array(
      await (await get("/api/v1/exports/recommendations.csv?country=CN&bom=0", exportToken)).arrayBuffer(),
    );
    expect(plain[0]).toBe("i".charCodeAt(0));
  });

  it("keeps a formula-looking name from running in a spreadsheet", async () => {
    const id = await submit({
      ...sampleRecommendation({ targetName: '=HYPERLINK("http://evil.example","x")' }),
      jurisdictions: ["au_magnitsky"],
    });
    const csv = await text("/api/v1/exports/recommendations.csv?jurisdiction=au_magnitsky", exportToken);
    const row = (parse(csv, { columns: true }) as Record<string, string>[]).find((r) => r.id === id);
    expect(row?.targets).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const targets = await text("/api/v1/exports/targets.csv?jurisdiction=au_magnitsky", exportToken);
    const target = (parse(targets, { columns: true }) as Record<string, string>[]).find(
      (r) => r.recommendation_id === id,
    );
    expect(target?.name).toBe(`'=HYPERLINK("http://evil.example","x")`);
  });

  it("NDJSON has one parseable recommendation per line, equal to the list API's items", async () => {
    const lines = ndjson(await text("/api/v1/exports/recommendations.ndjson?country=CN", exportToken));
    const list = (await (await get("/api/v1/recommendations?country=CN&limit=500", exportToken)).json()) as {
      items: Record<string, unknown>[];
    };
    expect(lines.map((l) => l.id)).toEqual(list.items.map((i) => i.id));
    const tricky1 = lines.find((l) => l.id === trickyId);
    expect(tricky1?.schema_version).toBe(2);
    expect(tricky1?.targets[0].aliases).toEqual(tricky("T1").target.aliases);
    expect(tricky1?.files[0]).toMatchObject({ name: "témoignage.pdf", sha256: fileSha });
  });

  it("applies every filter: step, country, category, jurisdiction, updated_since", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const a = sampleRecommendation({ targetName: `Filter A ${tag}` });
    a.conduct.country = "KH";
    a.conduct.categories = ["resource_corruption"];
    a.jurisdictions = ["us_7031c"];
    const idA = await submit(a);
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const b = sampleRecommendation({ targetName: `Filter B ${tag}` });
    b.conduct.country = "KH";
    const idB = await submit(b);
    await postJson(
      `/api/v1/recommendations/${idB}/actions`,
      { action: "advance", expected_step: "received" },
      {
        Authorization: `Bearer ${await createToken(["review"])}`,
      },
    );
    const ids = async (query: string) =>
      ndjson(await text(`/api/v1/exports/recommendations.ndjson?${query}`, exportToken))
        .map((l) => l.id)
        .filter((id) => id === idA || id === idB);
    expect(await ids("country=KH")).toEqual([idA, idB]);
    expect(await ids("country=KH&step=triage")).toEqual([idB]);
    expect(await ids("country=KH&category=resource_corruption")).toEqual([idA]);
    expect(await ids("country=KH&jurisdiction=us_7031c")).toEqual([idA]);
    expect(await ids(`country=KH&updated_since=${encodeURIComponent(since)}`)).toEqual([idB]);
    expect((await get("/api/v1/exports/recommendations.ndjson?country=XX", exportToken)).status).toBe(422);
  });

  it("FollowTheMoney: entities valid against the FtM model, references resolve, ids stable", async () => {
    const model = new Model(defaultModel);
    const first = ndjson(await text("/api/v1/exports/ftm.ndjson?country=CN", exportToken));
    const second = ndjson(await text("/api/v1/exports/ftm.ndjson?country=CN", exportToken));
    expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
    const ids = new Set(first.map((e) => e.id));
    for (const raw of first) {
      const entity = model.getEntity(raw as never);
      const schema = entity.schema;
      for (const [name, values] of Object.entries(raw.properties as Record<string, unknown>)) {
        expect(schema.hasProperty(name), `${schema.name}.${name}`).toBe(true);
        expect(Array.isArray(values) && values.every((v) => typeof v === "string"), `${schema.name}.${name}`).toBe(
          true,
        );
        const property = schema.getProperty(name);
        for (const value of values as string[]) {
          if (property.type.name === "entity") expect(ids.has(value), `${name} → ${value}`).toBe(true);
          if (property.type.name === "country") expect(value).toMatch(/^[a-z]{2}$/);
          if (property.type.name === "date") expect(value).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        }
      }
    }
    const mine = first.filter((e) => String(e.id).startsWith(`dossier-${trickyId}-`));
    expect(mine.map((e) => e.schema).sort()).toEqual(
      ["Person", "Position", "Occupancy", "Passport", "Document", "Documentation", "Sanction", "Sanction"].sort(),
    );
    const sanctions = mine.filter((e) => e.schema === "Sanction");
    expect(sanctions.map((s) => s.properties.status)).toEqual([["Recommended"], ["Recommended"]]);
    expect(sanctions.flatMap((s) => s.properties.country).sort()).toEqual(["ca", "eu"]);
    expect(mine.find((e) => e.schema === "Document")?.properties.contentHash).toEqual([`sha256:${fileSha}`]);
    expect(mine.find((e) => e.schema === "Person")?.properties.nationality).toEqual(["ru"]);

    // Several targets, their relations and addresses; OpenSanctions' programme id on the Sanction.
    const net = first.filter((e) => String(e.id).startsWith(`dossier-${networkId}-`));
    const count = (schema: string) => net.filter((e) => e.schema === schema).length;
    expect([count("Person"), count("Organization"), count("Company"), count("Address"), count("Sanction")]).toEqual([
      2, 1, 2, 1, 3,
    ]);
    // Ownership: the official owns Holding N (a Company, being owned), which owns a vehicle not itself recommended.
    const ownerships = net.filter((e) => e.schema === "Ownership").map((e) => e.properties);
    expect(ownerships).toEqual([
      { owner: [`dossier-${networkId}-target`], asset: [`dossier-${networkId}-target-2`], role: ["through a nominee"] },
      { owner: [`dossier-${networkId}-target-2`], asset: [`dossier-${networkId}-related-4`] },
    ]);
    expect(net.find((e) => e.schema === "UnknownLink")?.properties.role).toEqual(["commands"]);
    expect(net.find((e) => e.schema === "Family")?.properties).toMatchObject({ relationship: ["wife"] });
    expect(net.find((e) => e.schema === "Directorship")?.properties.organization).toEqual([
      `dossier-${networkId}-target-2`,
    ]);
    expect(net.filter((e) => e.schema === "Sanction").flatMap((s) => s.properties.programId)).toEqual([
      "EU-HR",
      "EU-HR",
      "EU-HR",
    ]);
    const official = net.find((e) => e.id === `dossier-${networkId}-target`);
    expect(official?.properties.addressEntity).toEqual([`dossier-${networkId}-address-0`]);
    expect(official?.properties.notes?.[0]).toContain(network().conduct.summary);
  });

  it("maps an entity target to an Organization", () => {
    const rec = sampleRecommendation();
    rec.target.kind = "entity";
    const entities = toFtm({
      ...upgrade(rec),
      id: "x",
      reference: "REC-1",
      created_at: "2026-01-01T00:00:00Z",
      files: [],
    });
    expect(entities[0]).toMatchObject({
      schema: "Organization",
      properties: { jurisdiction: ["ru"], incorporationDate: ["1971-04"] },
    });
  });
});
