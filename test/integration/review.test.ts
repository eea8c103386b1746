import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../worker/domain/event-log.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";

type Session = Awaited<ReturnType<typeof staffSession>>;

function act(id: string, body: Record<string, unknown>, headers: Record<string, string>) {
  return postJson(`/api/v1/recommendations/${id}/actions`, body, headers);
}

function actForm(id: string, fields: Record<string, string>, session: Session) {
  return call(`/review/${id}/actions`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
  });
}

async function html(path: string, cookie: string): Promise<string> {
  const res = await call(path, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

describe("workflow actions through the API", () => {
  let reviewer: Session;
  beforeAll(async () => {
    reviewer = await staffSession("reviewer");
  });

  it("refuses without a session or token (401)", async () => {
    const { id } = await submitSample();
    const res = await act(id, { action: "advance", expected_step: "received" }, {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("accepts a signed-in reviewer's advance and returns the logged event", async () => {
    const { id } = await submitSample();
    const res = await act(id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { step: string; event: Record<string, unknown> };
    expect(body).toMatchObject({ step: "triage", event: { seq: 2, action: "advance", actor: reviewer.email } });
  });

  it("answers 409 invalid_transition naming the current step for a stale expected_step", async () => {
    const { id } = await submitSample();
    await act(id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    const res = await act(id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_transition", step: "triage" } });
  });

  it("answers 403 when the role lacks the action and 422 when a needed field is missing", async () => {
    const { id } = await submitSample();
    const forbidden = await act(id, { action: "reopen", expected_step: "received" }, { Cookie: reviewer.cookie });
    expect(forbidden.status).toBe(403);
    await act(id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    const missing = await act(id, { action: "request_changes", expected_step: "triage" }, { Cookie: reviewer.cookie });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: { code: "validation_failed", fields: [{ path: "comment" }] } });
  });

  it("lets a token with the review scope act as its owner (a coordinator); without the scope 403", async () => {
    const { id } = await submitSample();
    const token = await createToken(["review"]);
    const res = await act(
      id,
      { action: "reject", expected_step: "received", comment: "Out of scope" },
      {
        Authorization: `Bearer ${token}`,
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      step: "rejected",
      event: { actor: expect.stringMatching(/^coordinator-[\w-]+@example\.org \(token test-[\w-]+\)$/) },
    });
    const exportOnly = await createToken(["export"]);
    const refused = await act(
      id,
      { action: "reopen", expected_step: "rejected" },
      {
        Authorization: `Bearer ${exportOnly}`,
      },
    );
    expect(refused.status).toBe(403);
  });

  it("assigns by email, and 404s an unknown recommendation", async () => {
    const { id } = await submitSample();
    const res = await act(
      id,
      { action: "assign", expected_step: "received", assignee: reviewer.email },
      {
        Cookie: reviewer.cookie,
      },
    );
    expect(res.status).toBe(200);
    const row = await env.DB.prepare(
      "SELECT q.assignee FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
    )
      .bind(id)
      .first();
    expect(row?.assignee).toBe(reviewer.id);
    expect(
      (await act("no-such-id", { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie })).status,
    ).toBe(404);
  });

  it("serves the event log, whose hash chain recomputes", async () => {
    const { id } = await submitSample();
    await act(id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    await act(
      id,
      { action: "comment", expected_step: "triage", comment: "Checked", to_submitter: true },
      {
        Cookie: reviewer.cookie,
      },
    );
    expect((await call(`/api/v1/recommendations/${id}/events`)).status).toBe(401);
    const res = await call(`/api/v1/recommendations/${id}/events`, {
      headers: { Authorization: `Bearer ${await createToken(["export"])}` },
    });
    const events = (await res.json()) as Parameters<typeof verifyChain>[0];
    expect(events.map((e) => [e.seq, e.action, e.from, e.to])).toEqual([
      [1, "submit", null, "received"],
      [2, "advance", "received", "triage"],
      // A comment the submitter is to see is a message (the API's older way to write to them).
      [3, "message", "triage", "triage"],
    ]);
    expect(events[0]?.prev_hash).toBe("0".repeat(64));
    expect(await verifyChain(events)).toBeNull();
  });
});

describe("the review pages", () => {
  let reviewer: Session;
  let coordinator: Session;
  beforeAll(async () => {
    reviewer = await staffSession("reviewer");
    coordinator = await staffSession("coordinator");
  });

  it("filter the queue by step, country, category, name, assignee and overdue, and count per step", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const rec = sampleRecommendation({ targetName: `Filter ${tag} Alpha` });
    rec.conduct.country = "MM";
    rec.conduct.categories = ["forced_labour"];
    const alpha = (await (await postJson("/api/v1/recommendations", rec)).json()) as { id: string };
    const beta = await submitSample(`Filter ${tag} Beta`);
    await act(beta.id, { action: "advance", expected_step: "received" }, { Cookie: reviewer.cookie });
    await act(
      beta.id,
      { action: "assign", expected_step: "triage", assignee: reviewer.id },
      { Cookie: reviewer.cookie },
    );

    const byName = await html(`/review?q=${tag}`, reviewer.cookie);
    expect(byName).toContain(`Filter ${tag} Alpha`);
    expect(byName).toContain(`Filter ${tag} Beta`);
    expect(byName.indexOf("Beta")).toBeLessThan(byName.indexOf("Alpha"));

    const byStep = await html(`/review?q=${tag}&step=triage`, reviewer.cookie);
    expect(byStep).toContain("Beta");
    expect(byStep).not.toContain(`Filter ${tag} Alpha`);
    expect(byStep).toMatch(/Triage <span class="count">1<\/span>/);
    expect(byStep).toMatch(/Received <span class="count">1<\/span>/);

    const byCountry = await html(`/review?q=${tag}&country=MM&category=forced_labour`, reviewer.cookie);
    expect(byCountry).toContain("Alpha");
    expect(byCountry).not.toContain(`Filter ${tag} Beta`);

    const mine = await html(`/review?q=${tag}&assignee=me`, reviewer.cookie);
    expect(mine).toContain("Beta");
    expect(mine).not.toContain(`Filter ${tag} Alpha`);

    await env.DB.prepare("UPDATE queue SET overdue = 1 WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?)")
      .bind(alpha.id)
      .run();
    const overdue = await html(`/review?q=${tag}&overdue=1`, reviewer.cookie);
    expect(overdue).toContain("Alpha");
    expect(overdue).not.toContain(`Filter ${tag} Beta`);
  });

  it("show a reviewer only the buttons they may press, and no contact details", async () => {
    const { id } = await submitSample();
    const page = await html(`/review/${id}`, reviewer.cookie);
    expect(page).toContain('data-action="advance"');
    expect(page).toContain('data-action="assign"');
    expect(page).not.toContain('data-action="reject"');
    expect(page).not.toContain('data-action="approve"');
    expect(page).not.toContain("olena@example.org");
    expect(page).toContain('data-testid="custody"');
    expect(page).toContain("The record holds");

    const coord = await html(`/review/${id}`, coordinator.cookie);
    expect(coord).toContain('data-action="reject"');
    expect(coord).toContain("olena@example.org");
    expect(coord).toContain("Witnesses must not be contacted directly");
  });

  it("apply an action posted from the page, then refuse the same stale form with 409", async () => {
    const { id } = await submitSample();
    const ok = await actForm(id, { action: "advance", expected_step: "received" }, reviewer);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe(`/review/${id}?done=advance#actions-title`);
    const after = await html(`/review/${id}?done=advance`, reviewer.cookie);
    expect(after).toContain('data-step="triage"');
    // Every action ends with a message saying what it did, in words.
    expect(after).toContain("Done. The recommendation is now in “Triage”.");
    const stale = await actForm(id, { action: "advance", expected_step: "received" }, reviewer);
    expect(stale.status).toBe(409);
    // The refusal says in plain words where things stand and that nothing changed.
    const words = await stale.text();
    expect(words).toContain("Not done: this recommendation is now in “Triage”");
    expect(words).toContain("Nothing was changed");
  });

  it("refuse an action form without the session's token, even from our own site", async () => {
    const { id } = await submitSample();
    const res = await actForm(id, { action: "advance", expected_step: "received", _csrf: "0".repeat(64) }, reviewer);
    expect(res.status).toBe(403);
    expect((await actForm(id, { action: "advance", expected_step: "received" }, reviewer)).status).toBe(303);
  });

  it("refuse an action form posted from another site", async () => {
    const { id } = await submitSample();
    const res = await call(`/review/${id}/actions`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://evil.example",
        Cookie: reviewer.cookie,
      },
      body: "action=advance&expected_step=received",
    });
    expect(res.status).toBe(403);
  });
});
