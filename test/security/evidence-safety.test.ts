import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import worker from "../../worker/index.ts";
import { contains, docx, jpegWithGps, pdfBytes, segment, sha256Of } from "../helpers/files.ts";
import { toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { createUpload, patch, uploadAll } from "../helpers/tus.ts";

interface Created {
  id: string;
  receipt: string;
  files: { id: string; name: string; cleaned: boolean }[];
}

async function submitWith(attachments: string[]): Promise<Created> {
  const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
}

/** A form post of the sample with these files (no JavaScript). */
function formWith(files: File[], headers: Record<string, string> = {}) {
  const data = new FormData();
  for (const [k, v] of toFormFields(sampleRecommendation())) data.append(k, v);
  for (const file of files) data.append("attachments", file);
  return call("/en/recommendations", { method: "POST", headers: { Origin: ORIGIN, ...headers }, body: data });
}

const text = (s: string) => new TextEncoder().encode(s);

function download(recId: string, fileId: string, headers: Record<string, string>) {
  return call(`/api/v1/recommendations/${recId}/attachments/${fileId}`, { headers });
}

describe("no dangerous file reaches a reviewer's machine", () => {
  it("names a download after the type its bytes showed, without bidi or format characters, and serves text as text", async () => {
    const id = await uploadAll(text("<html><script>alert('run me')</script></html>\n"), "report\u202Efdp.hta");
    const rec = await submitWith([id]);
    const token = await createToken(["export"]);
    const res = await download(rec.id, id, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const disposition = res.headers.get("Content-Disposition") ?? "";
    expect(disposition).toMatch(/^attachment; /);
    expect(disposition).toContain('filename="reportfdp.hta.txt"');
    expect(decodeURIComponent(disposition)).not.toContain("\u202E");
    await res.arrayBuffer();
  });

  it("takes a plain Word document, and refuses one with macros or an embedded program, in the form and over tus", async () => {
    const fine = await formWith([new File([docx()], "statement.docx")]);
    expect(fine.status).toBe(201);
    const dangers: Record<string, string>[] = [
      { "word/vbaProject.bin": "macro" },
      { "word/embeddings/oleObject1.bin": "MZ program" },
    ];
    for (const extra of dangers) {
      const bad = docx(extra);
      const form = await formWith([new File([bad], "statement.docx")], { "Accept-Language": "fr" });
      expect(form.status).toBe(415);
      const html = await form.text();
      expect(html).toContain("statement.docx");

      const upload = await createUpload(bad.length, "statement.docx");
      const sent = await patch(upload, 0, bad);
      expect(sent.status).toBe(415);
      expect(((await sent.json()) as { error: { message: string } }).error.message).toBe(
        catalogues.en["errors.file_unsafe"].replace("{name}", "statement.docx"),
      );
      expect((await call(`/uploads/${upload}`, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0" } })).status).toBe(
        404,
      );
    }
  });
});

describe("stripping is truthful", () => {
  it("drops what follows a JPEG's end, such as a second image with its own location", async () => {
    const trailer = Uint8Array.from([
      ...[0xff, 0xd8],
      ...segment(0xe1, Uint8Array.from([...text("Exif\0\0"), ...jpegWithGps().subarray(24, 144)])),
      ...text("GPS-50.4501N trailing"),
      ...[0xff, 0xd9],
    ]);
    const photo = Uint8Array.from([...jpegWithGps(), ...trailer]);
    const id = await uploadAll(photo, "street.jpg");
    const rec = await submitWith([id]);
    expect(rec.files[0]).toMatchObject({ cleaned: true });
    const token = await createToken(["export"]);
    const copy = new Uint8Array(await (await download(rec.id, id, { Authorization: `Bearer ${token}` })).arrayBuffer());
    expect(contains(copy, "GPS-50.4501N")).toBe(false);
    expect(contains(copy, "Exif")).toBe(false);
    expect([...copy.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(copy.length).toBeLessThan(jpegWithGps().length);
  });

  it("refuses a damaged image once, clearly, in the form and over tus, and leaves nothing to retry", async () => {
    const damaged = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0x00, 0x00, 0x00]);
    const form = await formWith([new File([damaged], "photo.jpg")]);
    expect(form.status).toBe(415);
    expect(await form.text()).toContain(catalogues.en["errors.file_damaged"].replace("{name}", "photo.jpg"));
    const upload = await createUpload(damaged.length, "photo.jpg");
    const sent = await patch(upload, 0, damaged);
    expect(sent.status).toBe(415);
    expect((await call(`/uploads/${upload}`, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0" } })).status).toBe(
      404,
    );
  });

  it("marks a file that keeps its metadata: the submitter is told, reviewers get it only once a coordinator releases it", async () => {
    const pdf = await uploadAll(pdfBytes(5000, 41), "report.pdf");
    const photo = await uploadAll(jpegWithGps(), "street.jpg");
    const video = await uploadAll(pdfBytes(5000, 42), "other.pdf");
    const rec = await submitWith([pdf, photo, video]);
    expect(rec.files.map((f) => f.cleaned)).toEqual([false, true, false]);
    const status = (await (await postJson("/api/v1/status", { receipt: rec.receipt })).json()) as {
      attachments: { id: string; cleaned: boolean }[];
    };
    expect(status.attachments.find((f) => f.id === pdf)?.cleaned).toBe(false);
    const page = await (
      await call("/en/status", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
        body: new URLSearchParams({ receipt: rec.receipt }).toString(),
      })
    ).text();
    expect(page).toContain(catalogues.en["done.files.not_cleaned"]);

    const reviewer = await staffSession("reviewer");
    const coordinator = await staffSession("coordinator");
    const asReviewer = await download(rec.id, pdf, { Cookie: reviewer.cookie });
    expect(asReviewer.status).toBe(403);
    expect(((await asReviewer.json()) as { error: { code: string } }).error.code).toBe("not_cleaned");
    expect((await download(rec.id, photo, { Cookie: reviewer.cookie })).status).toBe(200);
    const asCoordinator = await download(rec.id, pdf, { Cookie: coordinator.cookie });
    expect(asCoordinator.status).toBe(200);
    await asCoordinator.arrayBuffer();
    const reviewerToken = await createToken(["export"], { ownerId: reviewer.id });
    expect((await download(rec.id, pdf, { Authorization: `Bearer ${reviewerToken}` })).status).toBe(403);

    const released = await postJson(
      `/api/v1/recommendations/${rec.id}/attachments/${pdf}/release`,
      {},
      { Cookie: coordinator.cookie, Origin: ORIGIN },
    );
    expect(released.status, await released.clone().text()).toBe(200);
    const events = await recommendationObject(env, rec.id).events();
    expect(events.at(-1)).toMatchObject({ action: "release_file", actor: coordinator.email });
    expect(events.at(-1)?.comment).toContain(await sha256Of(pdfBytes(5000, 41)));
    const now = await download(rec.id, pdf, { Cookie: reviewer.cookie });
    expect(now.status).toBe(200);
    await now.arrayBuffer();
    const again = await postJson(
      `/api/v1/recommendations/${rec.id}/attachments/${pdf}/release`,
      {},
      { Cookie: coordinator.cookie, Origin: ORIGIN },
    );
    expect(again.status).toBe(409);
    const byReviewer = await postJson(
      `/api/v1/recommendations/${rec.id}/attachments/${video}/release`,
      {},
      { Cookie: reviewer.cookie, Origin: ORIGIN },
    );
    expect(byReviewer.status).toBe(403);
  });
});

describe("the no-JavaScript form stores nothing before it is valid", () => {
  it("stores no file when the submission is over its rate limit", async () => {
    const count = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM attachments").first<{ n: number }>())?.n ?? 0;
    const client = { "CF-Connecting-IP": `192.0.2.${Math.floor(Math.random() * 250)}-limit` };
    for (let i = 0; i < 30; i++) expect((await formWith([], client)).status).toBe(201);
    const before = await count();
    const limited = await formWith([new File([pdfBytes(3000, 77)], "late.pdf")], client);
    expect(limited.status).toBe(429);
    expect(await count()).toBe(before);
  });

  it("deletes every file nobody attached a day after it arrived, whatever path it came by", async () => {
    const stale = await uploadAll(text("left behind\n"), "left.txt");
    const kept = await uploadAll(text("attached\n"), "kept.txt");
    await submitWith([kept]);
    const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await env.DB.prepare("UPDATE attachments SET created_at = ? WHERE id IN (?, ?)").bind(old, stale, kept).run();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);
    const rows = await env.DB.prepare("SELECT id FROM attachments WHERE id IN (?, ?)").bind(stale, kept).all();
    expect(rows.results.map((r) => r.id)).toEqual([kept]);
    expect(await env.FILES.head(`originals/${stale}`)).toBeNull();
    expect(await env.FILES.head(`originals/${kept}`)).not.toBeNull();
  });
});

describe("stored evidence cannot be swapped", () => {
  async function original(recId: string, fileId: string, token: string): Promise<string> {
    const res = await download(recId, fileId, { Authorization: `Bearer ${token}` });
    // A refused download breaks while it streams: reading it fails.
    return new TextDecoder().decode(await res.arrayBuffer());
  }

  it("does not open a file's bytes stored under another file's name", async () => {
    const a = await uploadAll(text("Statement A: the real one\n"), "a.txt");
    const b = await uploadAll(text("Statement B: the one to replace\n"), "b.txt");
    const rec = await submitWith([a, b]);
    const token = await createToken(["export", "originals"]);
    expect(await original(rec.id, b, token)).toContain("Statement B");
    // Someone with write access to the bucket, but no key, puts A's sealed bytes where B's were.
    const stored = await env.FILES.get(`originals/${a}`);
    if (!stored) throw new Error("no stored original");
    await env.FILES.put(`originals/${b}`, await stored.arrayBuffer(), { customMetadata: stored.customMetadata });
    await expect(original(rec.id, b, token)).rejects.toThrow();
  });

  it("refuses an original whose bytes no longer match the SHA-256 recorded at intake", async () => {
    const id = await uploadAll(text("Statement C\n"), "c.txt");
    const rec = await submitWith([id]);
    const token = await createToken(["export", "originals"]);
    await env.DB.prepare("UPDATE attachments SET sha256 = ? WHERE id = ?").bind("0".repeat(64), id).run();
    await expect(original(rec.id, id, token)).rejects.toThrow();
  });

  it("does not show one recommendation's sealed contact details in another's", async () => {
    const a = await submitWith([]);
    const b = await submitWith([]);
    await env.DB.prepare(
      "UPDATE recommendations SET sealed = (SELECT sealed FROM recommendations WHERE id = ?) WHERE id = ?",
    )
      .bind(a.id, b.id)
      .run();
    const token = await createToken(["export", "contact"]);
    const res = await call(`/api/v1/recommendations/${b.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.sealed_unreadable).toBe(true);
    expect(body.submitter?.contact_email).toBeUndefined();
    const own = await call(`/api/v1/recommendations/${a.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await own.json()) as Record<string, any>).submitter.contact_email).toBeTruthy();
  });
});
