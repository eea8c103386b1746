import { describe, expect, it } from "vitest";
import { toHex } from "../../worker/domain/encoding.ts";
import { checkPacket, type PacketManifest, type PublicKeyJwk } from "../../worker/domain/packet.ts";
import { type RecommendationInput, RecommendationV1, upgrade } from "../../worker/domain/recommendation.ts";
import { pdfBytes } from "../helpers/files.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";
import { unzipStored, unzipText } from "../helpers/unzip.ts";
import { walkToApproved } from "../helpers/workflow.ts";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Two evidence items, each with a file: one its source lets governments have, one not. */
async function withEvidence(mayBeNamed: boolean) {
  const shared = await uploadAll(pdfBytes(2048, 7), "shared-report.pdf");
  const kept = await uploadAll(pdfBytes(2048, 8), "kept-back.pdf");
  const rec: RecommendationInput = upgrade(
    RecommendationV1.parse(sampleRecommendation({ targetName: "Colonel Docx" })),
  );
  rec.submitter.may_be_named = mayBeNamed;
  rec.attachments = [shared, kept];
  rec.impact = "Sanctions would cut him off from the assets he keeps in London.";
  rec.evidence.exculpatory = "He denies giving the orders.";
  rec.evidence.items = [
    {
      kind: "document",
      description: "Monitoring report",
      attachments: [shared],
      consent: { governments: true, public: false },
    },
    {
      kind: "testimony",
      description: "Statement of a detainee",
      attachments: [kept],
      consent: { governments: false, public: false },
    },
  ];
  const res = await postJson("/api/v1/recommendations", rec);
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as { id: string; reference: string };
  await openedObject(created.id);
  return created;
}

describe("the submission for a government as a Word document", () => {
  it("is made, kept and fingerprinted when a filing asks for it; the filing and its event record its SHA-256", async () => {
    const { id } = await withEvidence(true);
    await walkToApproved(id);
    const token = await createToken(["review", "export"]);
    const auth = { Authorization: `Bearer ${token}` };
    const res = await postJson(
      `/api/v1/recommendations/${id}/filings`,
      {
        programme: "eu_global_human_rights",
        filed_on: "2026-04-01",
        channel: "email",
        addressee: "EEAS",
        packet: true,
      },
      auth,
    );
    expect(res.status).toBe(201);
    const { filing, event } = (await res.json()) as {
      filing: { id: string; packet_sha256: string };
      event: { data: { filing: { packet_sha256: string } } };
    };
    expect(filing.packet_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(event.data.filing.packet_sha256).toBe(filing.packet_sha256);

    const sent = await call(`/api/v1/recommendations/${id}/filings/${filing.id}/packet.docx`, { headers: auth });
    expect(sent.status).toBe(200);
    const bytes = new Uint8Array(await sent.arrayBuffer());
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(sha).toBe(filing.packet_sha256);
    expect((await unzipText(bytes)).get("word/document.xml")).toContain("European Union");

    // The packet for that government carries the same document, signed, with only the shared evidence.
    const zip = await call(`/api/v1/recommendations/${id}/packet.zip?programme=eu_global_human_rights`, {
      headers: auth,
    });
    expect(zip.status).toBe(200);
    const entries = unzipStored(new Uint8Array(await zip.arrayBuffer()));
    expect([...entries.keys()]).toEqual([
      "submission.docx",
      "files/01-shared-report.pdf",
      "manifest.json",
      "manifest.sig",
      "signing-key.json",
    ]);
    const manifest = JSON.parse(new TextDecoder().decode(entries.get("manifest.json"))) as PacketManifest;
    expect(manifest.programme).toBe("eu_global_human_rights");
    expect(manifest.files.find((f) => f.path === "submission.docx")?.sha256).toBe(filing.packet_sha256);
    expect(manifest.withheld).toEqual([{ id: expect.any(String), reason: "not_for_governments" }]);
    const key = (await (await call("/.well-known/dossier-signing-key.json")).json()) as PublicKeyJwk;
    const hashed = async (map: Map<string, Uint8Array>) => {
      const out = new Map<string, { sha256: string; size: number }>();
      for (const [path, b] of map)
        out.set(path, {
          sha256: toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(b)))),
          size: b.length,
        });
      return out;
    };
    const verify = async (map: Map<string, Uint8Array>) =>
      checkPacket({
        entries: await hashed(map),
        manifestBytes: new Uint8Array(map.get("manifest.json") as Uint8Array),
        signature: new TextDecoder().decode(map.get("manifest.sig")).trim(),
        keys: [key],
      });
    const report = await verify(entries);
    expect(report.failures).toEqual([]);
    expect(report.checked.join("\n")).toContain("a packet for eu_global_human_rights");
    const tampered = new Map(entries);
    tampered.set("submission.docx", new Uint8Array([...(entries.get("submission.docx") as Uint8Array), 0]));
    expect((await verify(tampered)).ok).toBe(false);

    // A filing without a document made here has none to give.
    const plain = (await (
      await postJson(
        `/api/v1/recommendations/${id}/filings`,
        { programme: "us_glomag", filed_on: "2026-04-02", channel: "portal", addressee: "OFAC" },
        auth,
      )
    ).json()) as { filing: { id: string } };
    expect(
      (await call(`/api/v1/recommendations/${id}/filings/${plain.filing.id}/packet.docx`, { headers: auth })).status,
    ).toBe(404);
  });

  it("has the sections governments ask for, only evidence shared with governments, never contact details", async () => {
    const { id, reference } = await withEvidence(true);
    const token = await createToken(["export"]);
    const res = await call(`/api/v1/recommendations/${id}/packet.docx?programme=uk_global_human_rights`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe(DOCX);
    expect(res.headers.get("Content-Disposition")).toContain(`${reference}-uk_global_human_rights.docx`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(res.headers.get("X-Content-SHA256")).toBe(sha);

    const text = (await unzipText(bytes)).get("word/document.xml") ?? "";
    for (const section of [
      "1. Submitting organisation",
      "2. Proposed designees",
      "3. Conduct",
      "4. Why sanctions",
      "5. Evidence",
      "6. Exculpatory material",
    ]) {
      expect(text).toContain(section);
    }
    expect(text).toContain("United Kingdom");
    expect(text).toContain("Centre for Civil Liberties");
    expect(text).toContain("Colonel Docx");
    expect(text).toContain("7500123456");
    expect(text).toContain("Sanctions would cut him off");
    expect(text).toContain("He denies giving the orders.");
    expect(text).toContain("shared-report.pdf");
    expect(text).toMatch(/sha256:[0-9a-f]{64}/);
    expect(text).not.toContain("kept-back.pdf");
    expect(text).toContain("1 further item(s) are held by the coalition");
    expect(text).not.toContain("olena@example.org");
    expect(text).not.toContain("Olena Kovalenko");
  });

  it("names the coalition when the organisation may not be named; refuses reviewers and unknown programmes", async () => {
    const { id } = await withEvidence(false);
    const token = await createToken(["export"]);
    const auth = { Authorization: `Bearer ${token}` };
    const res = await call(`/api/v1/recommendations/${id}/packet.docx?programme=us_glomag`, { headers: auth });
    const text = (await unzipText(new Uint8Array(await res.arrayBuffer()))).get("word/document.xml") ?? "";
    expect(text).toContain("Submitted by the coalition on behalf of a member organisation that asked not to be named.");
    expect(text).not.toContain("Centre for Civil Liberties");

    expect((await call(`/api/v1/recommendations/${id}/packet.docx?programme=moon`, { headers: auth })).status).toBe(
      422,
    );
    expect((await call(`/api/v1/recommendations/${id}/packet.docx`, { headers: auth })).status).toBe(422);
    expect((await call(`/api/v1/recommendations/nope/packet.docx?programme=us_glomag`, { headers: auth })).status).toBe(
      404,
    );
    const reviewer = await staffSession("reviewer");
    expect(
      (
        await call(`/api/v1/recommendations/${id}/packet.docx?programme=us_glomag`, {
          headers: { Cookie: reviewer.cookie },
        })
      ).status,
    ).toBe(403);
  });
});
