import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findAttachment } from "../../worker/db/attachments.ts";
import { uploadObject } from "../../worker/durable/upload.ts";
import { openBytes } from "../../worker/files/sealed.ts";
import { dataKey } from "../../worker/security/keys.ts";
import { executable, pdfBytes, sha256Of } from "../helpers/files.ts";
import { call } from "../helpers/http.ts";
import { createUpload, cutStream, offsetOf, patch, uploadAll } from "../helpers/tus.ts";

const MiB = 1024 * 1024;

describe("resumable uploads (tus 1.0.0)", () => {
  it("announces the protocol and its extensions", async () => {
    const res = await call("/uploads", { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("Tus-Resumable")).toBe("1.0.0");
    expect(res.headers.get("Tus-Version")).toBe("1.0.0");
    expect(res.headers.get("Tus-Extension")).toBe("creation,termination,expiration");
    expect(Number(res.headers.get("Tus-Max-Size"))).toBe(2 * 1024 ** 3);
  });

  it("takes 12 MiB in 3 MiB PATCHes, survives a cut connection and a restart, resumes, and ends byte-identical", async () => {
    const file = pdfBytes(12 * MiB, 7);
    const id = await createUpload(file.length, "testimony.pdf", "application/pdf");
    expect(await offsetOf(id)).toBe(0);

    expect((await patch(id, 0, file.slice(0, 3 * MiB))).status).toBe(204);
    expect(await offsetOf(id)).toBe(3 * MiB);

    // The second PATCH loses its connection after 1 MiB.
    await patch(id, 3 * MiB, cutStream(file.slice(3 * MiB, 4 * MiB))).catch(() => undefined);
    // And the server restarts: the object is evicted; its storage and R2 remain.
    await evictDurableObject(uploadObject(env, id)).catch(() => undefined);
    const resumeAt = (await offsetOf(id)) as number;
    expect(resumeAt).toBe(4 * MiB);

    for (let at = resumeAt; at < file.length; at += 3 * MiB) {
      const res = await patch(id, at, file.slice(at, Math.min(file.length, at + 3 * MiB)));
      expect(res.status).toBe(204);
      expect(Number(res.headers.get("Upload-Offset"))).toBe(Math.min(file.length, at + 3 * MiB));
    }
    expect(await offsetOf(id)).toBe(file.length);

    const row = await findAttachment(env.DB, id);
    expect(row).toMatchObject({ size: file.length, contentType: "application/pdf", sha256: await sha256Of(file) });
    const stored = await env.FILES.get(`originals/${id}`);
    const back = await openBytes(await dataKey(env), stored as R2ObjectBody);
    expect(back.length).toBe(file.length);
    expect(await sha256Of(back)).toBe(await sha256Of(file));
  });

  it("refuses a PATCH at the wrong offset with 409 and keeps the upload as it was", async () => {
    const id = await createUpload(1000, "note.txt");
    expect((await patch(id, 0, new TextEncoder().encode("Hello, "))).status).toBe(204);
    const res = await patch(id, 3, new TextEncoder().encode("again"));
    expect(res.status).toBe(409);
    expect(await offsetOf(id)).toBe(7);
  });

  it("refuses a disguised executable with 415 naming the allowed types, and keeps none of it", async () => {
    const id = await createUpload(4096, "report.pdf", "application/pdf");
    const res = await call(`/uploads/${id}`, {
      method: "PATCH",
      headers: {
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Accept-Language": "es",
      },
      body: executable(),
    });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain("report.pdf");
    expect(body.error.message).toContain("PDF, JPEG, PNG");
    expect(await offsetOf(id)).toBeNull();
    expect(await env.FILES.head(`originals/${id}`)).toBeNull();
  });

  it("refuses an upload over the size limit with 413 saying the limit", async () => {
    const res = await call("/uploads", {
      method: "POST",
      headers: {
        "Tus-Resumable": "1.0.0",
        "Upload-Length": String(3 * 1024 ** 3),
        "Upload-Metadata": `filename ${btoa("film.mp4")}`,
      },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("2 GiB");
  });

  it("refuses more bytes than announced with 413", async () => {
    const id = await createUpload(10, "short.txt");
    const res = await patch(id, 0, new TextEncoder().encode("this is more than ten bytes"));
    expect(res.status).toBe(413);
  });

  it("removes an abandoned upload when it expires: its alarm leaves nothing behind", async () => {
    const file = pdfBytes(6 * MiB, 3);
    const id = await createUpload(file.length, "abandoned.pdf");
    expect((await patch(id, 0, file.slice(0, 5 * MiB + 100))).status).toBe(204);
    expect(await env.FILES.head(`pending/${id}`)).not.toBeNull();

    const object = uploadObject(env, id);
    await runInDurableObject(object, (_i, state) => {
      state.storage.sql.exec("UPDATE upload SET expires_at = ?", Date.now() - 1000);
    });
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await offsetOf(id)).toBeNull();
    expect(await env.FILES.head(`pending/${id}`)).toBeNull();
    expect((await env.FILES.list({ prefix: `originals/${id}` })).objects).toHaveLength(0);
  });

  it("terminates on DELETE", async () => {
    const id = await uploadAll(new TextEncoder().encode("a short note"), "note.txt");
    expect(await findAttachment(env.DB, id)).toBeTruthy();
    const res = await call(`/uploads/${id}`, { method: "DELETE", headers: { "Tus-Resumable": "1.0.0" } });
    expect(res.status).toBe(204);
    expect(await offsetOf(id)).toBeNull();
    expect(await findAttachment(env.DB, id)).toBeUndefined();
  });

  it("never keeps an original's bytes unencrypted, in R2 or in D1", async () => {
    const marker = "SECRET-WITNESS-STATEMENT-";
    const file = new TextEncoder().encode(`${marker}${"x".repeat(200_000)}${marker}`);
    const id = await uploadAll(file, "statement.txt", 70_000);
    const raw = new Uint8Array(await ((await env.FILES.get(`originals/${id}`)) as R2ObjectBody).arrayBuffer());
    expect(raw.length).toBeGreaterThan(file.length);
    expect(new TextDecoder().decode(raw)).not.toContain(marker);
    const rows = await env.DB.prepare("SELECT * FROM attachments WHERE id = ?").bind(id).all();
    expect(JSON.stringify(rows.results)).not.toContain(marker);
  });
});
