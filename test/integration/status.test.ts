import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { LOCALES } from "../../worker/domain/locales.ts";
import type { Actor } from "../../worker/domain/workflow.ts";
import { Recommendation, recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { submitSample } from "../helpers/submit.ts";

const reviewer: Actor = { kind: "staff", id: "staff-reviewer", email: "reviewer@example.org", role: "reviewer" };

/** A unique client address per test, so rate-limit buckets do not mix. */
function client(): Record<string, string> {
  return { "CF-Connecting-IP": `203.0.113.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` };
}

async function askForChanges(id: string, comment: string) {
  const object = recommendationObject(env, id);
  expect((await object.act({ action: "advance" }, reviewer, "received")).ok).toBe(true);
  expect((await object.act({ action: "request_changes", comment }, reviewer, "triage")).ok).toBe(true);
}

function statusForm(locale: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(`/${locale}/status`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("follow-up by receipt (API)", () => {
  it("shows the reference, the step and no messages yet; forgiving how the code is typed", async () => {
    const { id, receipt, reference } = await submitSample();
    const typed = ` ${receipt.toLowerCase().replace(/-/g, " ")} `;
    const res = await postJson("/api/v1/status", { receipt: typed }, client());
    expect(res.status).toBe(200);
    const [first] = await recommendationObject(env, id).events();
    expect(await res.json()).toEqual({
      reference,
      step: "received",
      decisions: [],
      messages: [],
      attachments: [],
      fingerprint: first?.data?.content_sha256,
      // Nothing is planned for the contact details and files while the review goes on.
      erasure: null,
    });
    expect(first?.data?.content_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 404 for an unknown receipt, in the request's language", async () => {
    const res = await postJson(
      "/api/v1/status",
      { receipt: "0000-0000-0000-0000-0000" },
      {
        ...client(),
        "Accept-Language": "fr",
      },
    );
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      catalogues.fr["errors.receipt_unknown"],
    );
  });

  it("limits repeated failures with 429 and Retry-After, also for a right code from the same client", async () => {
    const headers = client();
    const { receipt } = await submitSample();
    for (let i = 0; i < 10; i++) {
      expect((await postJson("/api/v1/status", { receipt: `WRONG-${i}` }, headers)).status).toBe(404);
    }
    const limited = await postJson("/api/v1/status", { receipt }, headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await postJson("/api/v1/status", { receipt }, client())).status).toBe(200);
  });

  it("carries a change request to the submitter and their answer back to the step that asked", async () => {
    const { id, receipt } = await submitSample();
    await askForChanges(id, "Please add the date of the second arrest.");
    const asked = (await (await postJson("/api/v1/status", { receipt }, client())).json()) as Record<string, any>;
    expect(asked.step).toBe("changes_requested");
    expect(asked.messages).toEqual([
      { at: expect.any(String), from: "reviewers", text: "Please add the date of the second arrest." },
    ]);
    expect(JSON.stringify(asked)).not.toContain("reviewer@example.org");

    const answer = await postJson("/api/v1/status/respond", { receipt, message: "It was on 4 May 2022." }, client());
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ step: "triage" });
    const after = (await (await postJson("/api/v1/status", { receipt }, client())).json()) as Record<string, any>;
    expect(after.messages.map((m: { from: string }) => m.from)).toEqual(["reviewers", "you"]);

    const events = await recommendationObject(env, id).events();
    expect(events.at(-1)).toMatchObject({
      actor: "submitter",
      action: "respond",
      from: "changes_requested",
      to: "triage",
    });
  });

  it("refuses an answer when no change request is open (409)", async () => {
    const { receipt } = await submitSample();
    const res = await postJson("/api/v1/status/respond", { receipt, message: "Unasked" }, client());
    expect(res.status).toBe(409);
  });

  it("withdraws once; a second withdrawal is a stale action (409)", async () => {
    const { id, receipt } = await submitSample();
    const first = await postJson("/api/v1/status/withdraw", { receipt }, client());
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ step: "withdrawn" });
    expect((await postJson("/api/v1/status/withdraw", { receipt }, client())).status).toBe(409);
    const queue = await env.DB.prepare(
      "SELECT q.step FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
    )
      .bind(id)
      .first();
    expect(queue?.step).toBe("withdrawn");
  });
});

describe("follow-up by receipt (pages)", () => {
  it("shows the lookup form in every locale", async () => {
    for (const locale of ["en", "ar", "zh"] as const) {
      const html = await (await call(`/${locale}/status`)).text();
      expect(html).toContain(catalogues[locale]["status.intro"]);
      expect(html).toContain('name="receipt"');
    }
  });

  it("shows the submission's fingerprint and what it proves, in every locale", async () => {
    const { id, receipt } = await submitSample();
    const [first] = await recommendationObject(env, id).events();
    const headers = client();
    for (const locale of LOCALES) {
      const html = await (await statusForm(locale, { receipt }, headers)).text();
      expect(html).toContain(`data-testid="fingerprint">${first?.data?.content_sha256}<`);
      expect(html).toContain(catalogues[locale]["fingerprint.title"]);
      expect(html).toContain(catalogues[locale]["fingerprint.hint"].replace(/'/g, "&#39;"));
    }
  });

  it("shows the status in words, lets the submitter answer, then withdraw (Persian)", async () => {
    const t = catalogues.fa;
    const { id, receipt } = await submitSample();
    await askForChanges(id, "Which unit was it?");
    const headers = client();

    const shown = await statusForm("fa", { receipt }, headers);
    expect(shown.status).toBe(200);
    expect(shown.headers.get("Cache-Control")).toBe("no-store");
    const html = await shown.text();
    expect(html).toContain(t["step.changes_requested"]);
    expect(html).toContain("Which unit was it?");
    expect(html).toContain('name="_action" value="write"');

    const empty = await statusForm("fa", { receipt, _action: "respond", message: " " }, headers);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain(t["errors.required"]);

    const answered = await statusForm("fa", { receipt, _action: "respond", message: "The 2nd battalion." }, headers);
    const after = await answered.text();
    expect(answered.status).toBe(200);
    expect(after).toContain(t["status.responded"]);
    expect(after).toContain(t["step.triage"]);
    expect(after).toContain("The 2nd battalion.");

    const asked = await statusForm("fa", { receipt, _action: "withdraw" }, headers);
    expect(await asked.text()).toContain(t["status.withdraw.confirm.title"]);
    const withdrawn = await statusForm("fa", { receipt, _action: "withdraw_confirmed" }, headers);
    expect(await withdrawn.text()).toContain(t["step.withdrawn"]);
  });

  it("answers 404 with the form again for an unknown receipt", async () => {
    const res = await statusForm("ru", { receipt: "AAAA-BBBB" }, client());
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain(catalogues.ru["errors.receipt_unknown"]);
    expect(html).toContain('value="AAAA-BBBB"');
  });
});

describe("an unknown receipt", () => {
  /** The D1 statements and object calls one lookup makes. */
  async function workOf(receipt: string) {
    const prepare = vi.spyOn(env.DB, "prepare");
    const open = vi.spyOn(Recommendation.prototype, "open");
    const events = vi.spyOn(Recommendation.prototype, "events");
    const res = await postJson("/api/v1/status", { receipt }, client());
    const work = {
      statements: prepare.mock.calls.map(([sql]) => sql),
      objectCalls: [open.mock.calls.length, events.mock.calls.length],
    };
    vi.restoreAllMocks();
    return { status: res.status, work };
  }

  it("costs the same work as a known one: the same statements and the same object calls", async () => {
    const { receipt } = await submitSample();
    const known = await workOf(receipt);
    const unknown = await workOf("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(404);
    expect(known.work.statements.length).toBeGreaterThan(2);
    expect(unknown.work).toEqual(known.work);
  });
});
