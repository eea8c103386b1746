import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { toFormFields } from "../helpers/form.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";
import { patch, uploadAll } from "../helpers/tus.ts";

const TUS = { "Tus-Resumable": "1.0.0" };

describe("bad input is refused, never a 500", () => {
  it("answers 422 to a cursor that is not one", async () => {
    const token = await createToken(["export"]);
    for (const cursor of ["a", "AAAA", "LTE", "!!"]) {
      const res = await call(`/api/v1/recommendations?cursor=${cursor}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status, cursor).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    }
  });

  it("answers 409 to a PATCH on an upload that is already complete", async () => {
    const bytes = new TextEncoder().encode("A finished statement.\n");
    const id = await uploadAll(bytes, "done.txt");
    const again = await patch(id, bytes.length, new Uint8Array(0));
    expect(again.status).toBe(409);
    const rewrite = await patch(id, 0, bytes);
    expect(rewrite.status).toBe(409);
  });

  it("answers 404 to an upload id it never gave out, without creating an object for it", async () => {
    const before = (await listDurableObjectIds(env.UPLOAD)).length;
    const made = "A".repeat(22) + "B".repeat(22);
    const head = await call(`/uploads/${made}`, { method: "HEAD", headers: TUS });
    const sent = await patch(made, 0, new Uint8Array([1, 2, 3]));
    const gone = await call(`/uploads/${made}`, { method: "DELETE", headers: TUS });
    expect([head.status, sent.status, gone.status]).toEqual([404, 404, 404]);
    expect((await listDurableObjectIds(env.UPLOAD)).length).toBe(before);
  });

  it("refuses text with a lone surrogate with 422 naming the field, in the comment API, an answer and intake", async () => {
    const { id, receipt } = await submitSample();
    const reviewer = await staffSession("reviewer");
    const comment = await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "comment", expected_step: "received", comment: "broken \ud800 text" },
      { Cookie: reviewer.cookie, Origin: ORIGIN, "Accept-Language": "fr" },
    );
    expect(comment.status).toBe(422);
    expect(await comment.json()).toMatchObject({
      error: { fields: [{ path: "comment", message: catalogues.fr["errors.malformed_text"] }] },
    });

    const answer = await postJson("/api/v1/status/respond", { receipt, message: "x\udc00" });
    expect(answer.status).toBe(422);

    const rec = sampleRecommendation();
    rec.target.name = "Name \ud800";
    const intake = await postJson("/api/v1/recommendations", rec);
    expect(intake.status).toBe(422);
    expect(await intake.json()).toMatchObject({ error: { fields: [{ path: "target.name" }] } });
  });

  it("answers 413 to a form carrying more attachment ids than a recommendation may hold, keeping the values", async () => {
    const fields = toFormFields(sampleRecommendation({ targetName: "Many ids" }));
    const body = new URLSearchParams(fields);
    for (let i = 0; i < 150; i++) body.append("attachments[]", `${String(i).padStart(22, "x")}`);
    const res = await call("/en/recommendations", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: body.toString(),
    });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain(catalogues.en["errors.too_many_files"].replace("{count}", "20"));
    expect(html).toContain('value="Many ids"');
  });
});
