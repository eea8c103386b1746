import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { stripMetadata } from "../../worker/files/strip.ts";
import { contains, executable, jpegWithGps, pdfBytes, pngWithText, sha256Of, webpWithExif } from "../helpers/files.ts";
import { toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { uploadAll } from "../helpers/tus.ts";

interface Created {
  id: string;
  reference: string;
  receipt: string;
  files: { id: string; name: string; sha256: string; found: string[] }[];
}

async function attachmentCount(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM attachments").first<{ n: number }>())?.n ?? 0;
}

async function submitWith(attachments: string[]): Promise<Created> {
  const rec = { ...sampleRecommendation(), attachments };
  const res = await postJson("/api/v1/recommendations", rec);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
}

function download(recId: string, fileId: string, token: string, variant?: "original") {
  return call(`/api/v1/recommendations/${recId}/attachments/${fileId}${variant ? `?variant=${variant}` : ""}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}

async function bytes(res: Response): Promise<Uint8Array> {
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

describe("metadata-free copies", () => {
  let reviewerToken: string;
  let originalsToken: string;
  beforeAll(async () => {
    reviewerToken = await createToken(["export"]);
    originalsToken = await createToken(["export", "originals"]);
  });

  it("a JPEG with EXIF GPS: reviewers get it without EXIF, GPS, XMP or comment; the original keeps all and matches its SHA-256", async () => {
    const jpeg = jpegWithGps();
    const id = await uploadAll(jpeg, "checkpoint.jpg");
    const rec = await submitWith([id]);
    expect(rec.files).toEqual([
      expect.objectContaining({
        id,
        name: "checkpoint.jpg",
        sha256: await sha256Of(jpeg),
        found: expect.arrayContaining(["location", "device"]),
      }),
    ]);

    const clean = await bytes(await download(rec.id, id, reviewerToken));
    for (const marker of ["Exif", "GPS-50.4501N", "xmpmeta", "checkpoint"])
      expect(contains(clean, marker), marker).toBe(false);
    expect(contains(clean, "JFIF")).toBe(true);
    expect([clean[0], clean[1], clean.at(-2), clean.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(clean.length).toBeLessThan(jpeg.length);

    const original = await bytes(await download(rec.id, id, originalsToken, "original"));
    expect(contains(original, "GPS-50.4501N")).toBe(true);
    expect(await sha256Of(original)).toBe(rec.files[0]?.sha256);
  });

  it("a PNG with text chunks: the copy has none; the original has them", async () => {
    const png = pngWithText();
    const id = await uploadAll(png, "photo.png");
    const rec = await submitWith([id]);
    const clean = await bytes(await download(rec.id, id, reviewerToken));
    for (const marker of ["tEXt", "iTXt", "tIME", "Mariupol", "Witness 7"])
      expect(contains(clean, marker), marker).toBe(false);
    for (const marker of ["IHDR", "IDAT", "IEND"]) expect(contains(clean, marker), marker).toBe(true);
    const original = await bytes(await download(rec.id, id, originalsToken, "original"));
    expect(contains(original, "Mariupol")).toBe(true);
    expect(await sha256Of(original)).toBe(await sha256Of(png));
  });

  it("a WebP with EXIF and XMP: the copy drops both chunks and their header flags", () => {
    const stripped = stripMetadata(webpWithExif(), "image/webp");
    if (!stripped.cleaned) throw new Error("not stripped");
    expect(stripped.found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    const out = stripped.bytes;
    expect(contains(out, "EXIF")).toBe(false);
    expect(contains(out, "XMP ")).toBe(false);
    expect(contains(out, "VP8L")).toBe(true);
    expect(new DataView(out.buffer, out.byteOffset).getUint32(4, true)).toBe(out.length - 8);
    expect((out[20] as number) & 0x0c).toBe(0);
  });

  it("keeps the original from a token without the originals scope (403) and from reviewers", async () => {
    const id = await uploadAll(jpegWithGps(), "x.jpg");
    const rec = await submitWith([id]);
    expect((await download(rec.id, id, reviewerToken, "original")).status).toBe(403);
    const reviewer = await staffSession("reviewer");
    const res = await call(`/api/v1/recommendations/${rec.id}/attachments/${id}?variant=original`, {
      headers: { Cookie: reviewer.cookie },
    });
    expect(res.status).toBe(403);
    const coordinator = await staffSession("coordinator");
    const ok = await call(`/api/v1/recommendations/${rec.id}/attachments/${id}?variant=original`, {
      headers: { Cookie: coordinator.cookie },
    });
    expect(ok.status).toBe(200);
  });

  it("serves a file only through the recommendation it belongs to", async () => {
    const a = await submitWith([await uploadAll(pdfBytes(2000, 5), "a.pdf")]);
    const b = await submitWith([]);
    const fileOfA = a.files[0]?.id as string;
    expect((await download(b.id, fileOfA, reviewerToken)).status).toBe(404);
    expect((await download(a.id, fileOfA, reviewerToken)).status).toBe(200);
  });

  it("names the download safely and serves it as the sniffed type", async () => {
    const id = await uploadAll(pdfBytes(3000, 9), '../../etc/"pass wd".pdf');
    const rec = await submitWith([id]);
    const res = await download(rec.id, id, reviewerToken);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const disposition = res.headers.get("Content-Disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="pass wd.pdf"; filename\*=UTF-8''pass%20wd.pdf$/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});

describe("attachments in a submission", () => {
  it("refuses an unknown or already used upload id with 422 on that field", async () => {
    const id = await uploadAll(pdfBytes(1000, 2), "once.pdf");
    await submitWith([id]);
    const res = await postJson("/api/v1/recommendations", {
      ...sampleRecommendation(),
      attachments: [id, "AAAAAAAAAAAAAAAAAAAAAA"],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(["attachments[0]", "attachments[1]"]);
  });

  it("takes files with the form itself (no JavaScript) and lists them with their SHA-256 on the receipt page", async () => {
    const data = new FormData();
    for (const [k, v] of toFormFields(sampleRecommendation())) data.append(k, v);
    const jpeg = jpegWithGps();
    data.append("attachments", new File([jpeg], "street.jpg", { type: "image/jpeg" }));
    data.append("attachments", new File([pdfBytes(5000, 4)], "report.pdf", { type: "application/pdf" }));
    const res = await call("/en/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain("street.jpg");
    expect(html).toContain("report.pdf");
    expect(html).toContain(await sha256Of(jpeg));
    expect(html).toContain('data-testid="metadata-notice"');
  });

  it("stores no file from a form that comes back with errors, and names the files to choose again", async () => {
    const before = await attachmentCount();
    const data = new FormData();
    const rec = sampleRecommendation() as Record<string, any>;
    delete rec.target.name;
    for (const [k, v] of toFormFields(rec)) data.append(k, v);
    data.append("attachments", new File([pdfBytes(4000, 8)], "chosen.pdf"));
    const first = await call("/ar/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(first.status).toBe(422);
    const html = await first.text();
    expect(html).toContain(catalogues.ar["form.files_not_kept"].replace("{names}", "chosen.pdf"));
    expect(html).not.toContain('name="attachments[]"');
    expect(await attachmentCount()).toBe(before);
  });

  it("refuses a disguised file with 415 and then stores none of the form's files", async () => {
    const before = await attachmentCount();
    const data = new FormData();
    for (const [k, v] of toFormFields(sampleRecommendation())) data.append(k, v);
    data.append("attachments", new File([pdfBytes(4000, 9)], "fine.pdf"));
    data.append("attachments", new File([executable()], "invoice.pdf"));
    const refused = await call("/ar/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(refused.status).toBe(415);
    const text = await refused.text();
    expect(text).toContain("invoice.pdf");
    expect(text).toContain(catalogues.ar["errors.file_type"].split("{")[0]?.trim().slice(0, 10) as string);
    expect(await attachmentCount()).toBe(before);
  });

  it("refuses a form file over 25 MiB with 413 saying the limit", async () => {
    const data = new FormData();
    for (const [k, v] of toFormFields(sampleRecommendation())) data.append(k, v);
    data.append("attachments", new File([pdfBytes(25 * 1024 * 1024 + 1, 3)], "huge.pdf"));
    const res = await call("/en/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("25 MiB");
  });

  it("adds late evidence through the status page, logged with its hash", async () => {
    const created = await submitWith([]);
    const file = pdfBytes(3000, 11);
    const data = new FormData();
    data.append("receipt", created.receipt);
    data.append("_action", "add_evidence");
    data.append("attachments", new File([file], "late.pdf"));
    const res = await call("/fr/status", {
      method: "POST",
      headers: { Origin: ORIGIN, "CF-Connecting-IP": "late-evidence" },
      body: data,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(catalogues.fr["status.added"]);
    expect(html).toContain("late.pdf");
    const status = (await (await postJson("/api/v1/status", { receipt: created.receipt })).json()) as {
      attachments: { name: string; sha256: string }[];
      messages: { text: string }[];
    };
    expect(status.attachments).toEqual([expect.objectContaining({ name: "late.pdf", sha256: await sha256Of(file) })]);
    // The file is listed with its fingerprint, not written into the conversation as a system line.
    expect(status.messages).toEqual([]);
    const raw = await env.FILES.list({ prefix: "originals/" });
    expect(raw.objects.length).toBeGreaterThan(0);
  });
});
