import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import type { Actor, Step } from "../../worker/domain/workflow.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { pdfBytes } from "../helpers/files.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";

const reviewer: Actor = { kind: "staff", id: "staff-r", email: "r@example.org", role: "reviewer" };

/** A recommendation walked to `asker`, where a reviewer asks for changes. */
async function askedFrom(asker: Step, attachments: string[] = []) {
  const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as { id: string; receipt: string };
  const object = await openedObject(created.id);
  const path: Step[] = ["received", "triage", "legal_review", "evidence_review"];
  for (const step of path.slice(0, path.indexOf(asker))) {
    expect((await object.act({ action: "advance" }, reviewer, step)).ok).toBe(true);
  }
  const asked = await object.act({ action: "request_changes", comment: "Send the statements." }, reviewer, asker);
  expect(asked.ok).toBe(true);
  return created;
}

/** A small finished upload (plain text), as the browser's uploader leaves it. */
function textUpload(name: string): Promise<string> {
  return uploadAll(new TextEncoder().encode(`Statement ${name} ${crypto.randomUUID()}\n`), name);
}

async function stepOf(id: string): Promise<Step | undefined> {
  return (await recommendationObject(env, id).state())?.step;
}

async function filesOf(id: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM attachments a JOIN recommendations r ON r.seq = a.rec_seq WHERE r.id = ?",
  )
    .bind(id)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

function statusPage(locale: string, data: FormData) {
  return call(`/${locale}/status`, { method: "POST", headers: { Origin: ORIGIN }, body: data });
}

function form(fields: Record<string, string | string[] | File>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  return data;
}

describe("answering a change request with files", () => {
  it("through the API: the files are attached and the answer returns it to the step that asked", async () => {
    const { id, receipt } = await askedFrom("evidence_review");
    const upload = await textUpload("statement.txt");
    const res = await postJson("/api/v1/status/respond", { receipt, message: "Attached.", attachments: [upload] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ step: "evidence_review" });
    expect(await stepOf(id)).toBe("evidence_review");
    expect(await filesOf(id)).toBe(1);
    const events = await recommendationObject(env, id).events();
    expect(events.slice(-2).map((e) => [e.action, e.from, e.to])).toEqual([
      ["add_evidence", "changes_requested", "changes_requested"],
      ["respond", "changes_requested", "evidence_review"],
    ]);
    const status = (await (await postJson("/api/v1/status", { receipt })).json()) as { attachments: unknown[] };
    expect(status.attachments).toHaveLength(1);
  });

  it("on the status page without JavaScript (a file in the post)", async () => {
    const { id, receipt } = await askedFrom("legal_review");
    const file = new File([pdfBytes(3000, 21)], "statement.pdf");
    const res = await statusPage("ar", form({ receipt, _action: "respond", message: "مرفق.", attachments: file }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(catalogues.ar["status.responded"]);
    expect(html).toContain(catalogues.ar["step.legal_review"]);
    expect(await stepOf(id)).toBe("legal_review");
    expect(await filesOf(id)).toBe(1);
  });

  it("on the status page with JavaScript (files uploaded first, their ids in the post)", async () => {
    const { id, receipt } = await askedFrom("triage");
    const uploads = [await textUpload("a.txt"), await textUpload("b.txt")];
    const res = await statusPage(
      "en",
      form({ receipt, _action: "respond", message: "Two statements.", "attachments[]": uploads }),
    );
    expect(res.status).toBe(200);
    expect(await stepOf(id)).toBe("triage");
    expect(await filesOf(id)).toBe(2);
    expect(await res.text()).toContain("a.txt");
  });

  it("adds files uploaded with JavaScript when no change request is open", async () => {
    const created = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt } = (await created.json()) as { id: string; receipt: string };
    const upload = await textUpload("late.txt");
    const res = await statusPage("en", form({ receipt, _action: "add_evidence", "attachments[]": upload }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(catalogues.en["status.added"]);
    expect(await filesOf(id)).toBe(1);
  });
});

describe("the limit of files per recommendation, counting late evidence", () => {
  it("refuses a 21st file with 413 saying the limit, through the API and the page, and attaches nothing", async () => {
    const twenty = await Promise.all(Array.from({ length: 20 }, (_, i) => textUpload(`f${i}.txt`)));
    const { id, receipt } = await askedFrom("triage", twenty);
    expect(await filesOf(id)).toBe(20);

    const extra = await textUpload("one-more.txt");
    const api = await postJson(
      "/api/v1/status/respond",
      { receipt, message: "One more.", attachments: [extra] },
      { "Accept-Language": "es" },
    );
    expect(api.status).toBe(413);
    const body = (await api.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_large");
    expect(body.error.message).toBe(catalogues.es["errors.too_many_files"].replace("{count}", "20"));

    const page = await statusPage(
      "fr",
      form({ receipt, _action: "respond", message: "Encore.", "attachments[]": extra }),
    );
    expect(page.status).toBe(413);
    expect(await page.text()).toContain(catalogues.fr["errors.too_many_files"].replace("{count}", "20"));
    expect(await filesOf(id)).toBe(20);
    expect(await stepOf(id)).toBe("changes_requested");
  });

  it("refuses 21 attachment ids at intake with 413, and 21 files in one form", async () => {
    const ids = Array.from({ length: 21 }, () => "x".repeat(22));
    const api = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments: ids });
    expect(api.status).toBe(413);
    expect(((await api.json()) as { error: { message: string } }).error.message).toContain("20");

    const data = new FormData();
    for (let i = 0; i < 21; i++) data.append("attachments", new File([pdfBytes(600, i)], `p${i}.pdf`));
    data.append("target.name", "Kept value");
    const page = await call("/en/recommendations", { method: "POST", headers: { Origin: ORIGIN }, body: data });
    expect(page.status).toBe(413);
    const html = await page.text();
    expect(html).toContain(catalogues.en["errors.too_many_files"].replace("{count}", "20"));
    expect(html).toContain('value="Kept value"');
  });
});

describe("withdrawing and reopening", () => {
  it("asks for confirmation on a second page before withdrawing", async () => {
    const created = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt } = (await created.json()) as { id: string; receipt: string };
    const asked = await statusPage("ru", form({ receipt, _action: "withdraw" }));
    expect(asked.status).toBe(200);
    const html = await asked.text();
    expect(html).toContain(catalogues.ru["status.withdraw.confirm.title"]);
    expect(html).toContain('value="withdraw_confirmed"');
    expect(await stepOf(id)).toBe("received");

    const done = await statusPage("ru", form({ receipt, _action: "withdraw_confirmed" }));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(catalogues.ru["status.withdrawn"]);
    expect(await stepOf(id)).toBe("withdrawn");
  });

  it("lets a coordinator reopen a withdrawn recommendation into triage", async () => {
    const created = await postJson("/api/v1/recommendations", sampleRecommendation());
    const { id, receipt } = (await created.json()) as { id: string; receipt: string };
    expect((await postJson("/api/v1/status/withdraw", { receipt })).status).toBe(200);
    const coordinator = await staffSession("coordinator");
    const res = await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "reopen", expected_step: "withdrawn" },
      { Cookie: coordinator.cookie, Origin: ORIGIN },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await stepOf(id)).toBe("triage");
  });
});
