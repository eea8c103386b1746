import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { toHex } from "../../worker/domain/encoding.ts";
import type { LoggedEvent } from "../../worker/domain/event-log.ts";
import type { PacketManifest } from "../../worker/domain/packet.ts";
import { jpegWithGps, pdfBytes, sha256Of } from "../helpers/files.ts";
import { call, postJson } from "../helpers/http.ts";
import { check, publishedKey } from "../helpers/packet.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { uploadAll } from "../helpers/tus.ts";
import { unzipStored } from "../helpers/unzip.ts";

const coordinator = await staffSession("coordinator");
const pdf = pdfBytes(5000, 3);
const jpeg = jpegWithGps();

async function submitWithFiles(): Promise<{ id: string; reference: string; photo: string; report: string }> {
  const photo = await uploadAll(jpeg, "checkpoint.jpg");
  const report = await uploadAll(pdf, "report.pdf");
  const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments: [photo, report] });
  expect(res.status).toBe(201);
  const { id, reference } = (await res.json()) as { id: string; reference: string };
  return { id, reference, photo, report };
}

async function packet(id: string, headers: Record<string, string>, variant?: "original") {
  return call(`/api/v1/recommendations/${id}/packet.zip${variant ? `?variant=${variant}` : ""}`, { headers });
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

describe("signed packets", () => {
  it("streams a ZIP with the record, the log, the files and a manifest the published key signed", async () => {
    const rec = await submitWithFiles();
    const res = await packet(rec.id, { Cookie: coordinator.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toContain(`${rec.reference}-packet.zip`);
    const entries = unzipStored(new Uint8Array(await res.arrayBuffer()));
    expect([...entries.keys()]).toEqual([
      "recommendation.json",
      "events.json",
      "files/01-checkpoint.jpg",
      "files/02-report.pdf",
      "manifest.json",
      "manifest.sig",
      "signing-key.json",
    ]);
    const key = await publishedKey();
    expect(await check(entries, [key])).toMatchObject({ ok: true, failures: [] });

    const manifest = JSON.parse(new TextDecoder().decode(entries.get("manifest.json"))) as PacketManifest;
    expect(manifest).toMatchObject({ recommendation: { id: rec.id, reference: rec.reference }, kid: key.kid });
    expect(manifest.files.find((f) => f.file?.id === rec.report)).toMatchObject({
      sha256: await sha256Of(pdf),
      file: { copy: "original" },
    });
    // The photo travels without its GPS position; its manifest entry says it is the clean copy.
    expect(manifest.files.find((f) => f.file?.id === rec.photo)?.file?.copy).toBe("clean");
    expect(entries.get("files/01-checkpoint.jpg")?.length).toBeLessThan(jpeg.length);
    // Never the sealed contact details.
    expect(new TextDecoder().decode(entries.get("recommendation.json"))).not.toContain(
      sampleRecommendation().submitter.contact_email,
    );

    const audited = await env.DB.prepare("SELECT actor, details FROM audit WHERE action = 'packet' AND subject = ?")
      .bind(rec.id)
      .first<{ actor: string; details: string }>();
    expect(audited?.actor).toBe(coordinator.email);
    expect(JSON.parse(audited?.details ?? "{}")).toEqual({ variant: "default", files: 2, withheld: 0 });
  });

  it("carries the originals, byte for byte, only for the originals right", async () => {
    const rec = await submitWithFiles();
    const exportOnly = await createToken(["export"]);
    expect((await packet(rec.id, { Authorization: `Bearer ${exportOnly}` }, "original")).status).toBe(403);
    const originals = await createToken(["export", "originals"]);
    const res = await packet(rec.id, { Authorization: `Bearer ${originals}` }, "original");
    expect(res.status).toBe(200);
    const entries = unzipStored(new Uint8Array(await res.arrayBuffer()));
    expect(await sha256Of(entries.get("files/01-checkpoint.jpg") as Uint8Array)).toBe(await sha256Of(jpeg));
    expect(await check(entries, [await publishedKey()])).toMatchObject({ ok: true });
  });

  it("withholds a file that keeps its metadata from a token not trusted with it, and says so", async () => {
    const rec = await submitWithFiles();
    const reviewer = await staffSession("reviewer");
    expect((await packet(rec.id, { Cookie: reviewer.cookie })).status).toBe(403);
    const reviewersToken = await createToken(["export"], { ownerId: reviewer.id });
    const res = await packet(rec.id, { Authorization: `Bearer ${reviewersToken}` });
    expect(res.status).toBe(200);
    const entries = unzipStored(new Uint8Array(await res.arrayBuffer()));
    expect(entries.has("files/01-checkpoint.jpg")).toBe(true);
    const manifest = JSON.parse(new TextDecoder().decode(entries.get("manifest.json"))) as PacketManifest;
    expect(manifest.withheld).toEqual([{ id: rec.report, reason: "keeps_metadata" }]);
    expect(await check(entries, [await publishedKey()])).toMatchObject({ ok: true });
  });

  it("fails the check for each kind of tampering, naming it", async () => {
    const rec = await submitWithFiles();
    const res = await packet(rec.id, { Cookie: coordinator.cookie });
    const good = unzipStored(new Uint8Array(await res.arrayBuffer()));
    const key = await publishedKey();
    const tampered = async (change: (entries: Map<string, Uint8Array>) => void, keys = [key]) => {
      const copy = new Map([...good].map(([k, v]) => [k, new Uint8Array(v)]));
      change(copy);
      return (await check(copy, keys)).failures.join("\n");
    };

    expect(
      await tampered((e) => {
        const report = e.get("files/02-report.pdf") as Uint8Array;
        report.set([(report[100] ?? 0) ^ 1], 100);
      }),
    ).toContain("files/02-report.pdf is not the file the manifest lists");
    const json = <T>(e: Map<string, Uint8Array>, name: string) =>
      JSON.parse(new TextDecoder().decode(e.get(name))) as T;
    expect(
      await tampered((e) => {
        const manifest = json<PacketManifest>(e, "manifest.json");
        manifest.generated_at = "2020-01-01T00:00:00.000Z";
        e.set("manifest.json", encode(manifest));
      }),
    ).toContain("signature of manifest.json does not hold");
    expect(
      await tampered((e) => {
        const events = json<LoggedEvent[]>(e, "events.json");
        (events[0] as LoggedEvent).actor = "someone else";
        e.set("events.json", encode(events));
      }),
    ).toContain("events.json is not the file the manifest lists");
    expect(await tampered(() => {}, [{ ...key, x: toHex(new Uint8Array(32)) }])).toContain("does not hold");
    expect(
      await tampered((e) => {
        e.set("files/03-planted.pdf", pdf);
      }),
    ).toContain("files/03-planted.pdf is in the packet but not in the manifest");
  });
});
