import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, ORIGIN, postForm, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";

type Created = { id: string; receipt: string; reference: string };

async function submit(): Promise<Created> {
  const res = await postJson("/api/v1/recommendations", sampleRecommendation());
  expect(res.status).toBe(201);
  const created = (await res.json()) as Created;
  await openedObject(created.id);
  return created;
}

async function status(receipt: string) {
  const res = await postJson("/api/v1/status", { receipt });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    step: string;
    messages: { from: string; text: string }[];
    attachments: { name: string; sha256: string }[];
  };
}

/** A staff form post to the detail page's action route, as the page's forms send it. */
function actForm(id: string, fields: Record<string, string>, member: { cookie: string; csrf: string }) {
  return postForm(`/review/${id}/actions`, { _csrf: member.csrf, ...fields }, { Cookie: member.cookie });
}

async function repliedAt(id: string): Promise<string | null> {
  const row = await env.DB.prepare(
    "SELECT q.replied_at FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
  )
    .bind(id)
    .first<{ replied_at: string | null }>();
  return row?.replied_at ?? null;
}

describe("the submitter writes at any open step", () => {
  it("sends a message through the API without changing the step, and the queue marks it replied", async () => {
    const rec = await submit();
    const reviewer = await staffSession("reviewer");
    await recommendationObject(env, rec.id).act(
      { action: "advance" },
      { kind: "staff", id: reviewer.id, email: reviewer.email, role: "reviewer" },
      "received",
    );
    const res = await postJson("/api/v1/status/message", { receipt: rec.receipt, message: "Bir tanık tutuklandı." });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reference: rec.reference, step: "triage" });
    const events = await recommendationObject(env, rec.id).events();
    expect(events.at(-1)).toMatchObject({ actor: "submitter", action: "message", to_submitter: true });
    expect(await repliedAt(rec.id)).not.toBeNull();
    expect((await status(rec.receipt)).messages).toEqual([
      expect.objectContaining({ from: "you", text: "Bir tanık tutuklandı." }),
    ]);

    // A staff member's next action (here an internal note) answers the mark.
    expect((await actForm(rec.id, { action: "comment", comment: "Seen; calling the partner." }, reviewer)).status).toBe(
      303,
    );
    expect(await repliedAt(rec.id)).toBeNull();
  });

  it("adds files with a message, or files alone; neither is 422 naming the message", async () => {
    const rec = await submit();
    const upload = await uploadAll(new TextEncoder().encode(`late ${crypto.randomUUID()}`), "late.txt");
    const res = await postJson("/api/v1/status/message", {
      receipt: rec.receipt,
      message: "A new statement.",
      attachments: [upload],
    });
    expect(res.status).toBe(200);
    const seen = await status(rec.receipt);
    expect(seen.attachments.map((a) => a.name)).toEqual(["late.txt"]);
    expect(seen.messages.map((m) => m.text)).toEqual(["A new statement."]);

    const empty = await postJson(
      "/api/v1/status/message",
      { receipt: rec.receipt, message: "  " },
      {
        "Accept-Language": "tr",
      },
    );
    expect(empty.status).toBe(422);
    const body = (await empty.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(["message"]);
  });

  it("answers an open change request: the recommendation returns to the step that asked", async () => {
    const rec = await submit();
    const object = recommendationObject(env, rec.id);
    const reviewer = { kind: "staff", id: "r", email: "r@example.org", role: "reviewer" } as const;
    await object.act({ action: "advance" }, reviewer, "received");
    await object.act({ action: "request_changes", comment: "Which unit?" }, reviewer, "triage");
    const res = await postJson("/api/v1/status/message", { receipt: rec.receipt, message: "The 2nd battalion." });
    expect(await res.json()).toMatchObject({ step: "triage" });
    expect((await object.events()).at(-1)).toMatchObject({
      action: "respond",
      from: "changes_requested",
      to: "triage",
    });
  });

  it("cannot write once the recommendation is withdrawn (409)", async () => {
    const rec = await submit();
    expect((await postJson("/api/v1/status/withdraw", { receipt: rec.receipt })).status).toBe(200);
    expect((await postJson("/api/v1/status/message", { receipt: rec.receipt, message: "Hello?" })).status).toBe(409);
  });

  it("writes from the status page without JavaScript, and the page confirms it in the locale", async () => {
    const rec = await submit();
    const res = await call("/tr/status", {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ receipt: rec.receipt, _action: "write", message: "Lütfen durdurun." }),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(catalogues.tr["status.written"]);
    expect(html).toContain("Lütfen durdurun.");
  });
});

describe("staff: an internal note and a message are two actions", () => {
  it("shows the submitter the message, never the note, and marks in the log what they read", async () => {
    const rec = await submit();
    const reviewer = await staffSession("reviewer");
    const note = await actForm(rec.id, { action: "comment", comment: "Internal: source is the cousin." }, reviewer);
    expect(note.headers.get("Location")).toBe(`/review/${rec.id}?done=comment#conversation-title`);
    const message = await actForm(rec.id, { action: "message", comment: "Thank you, we are reading it." }, reviewer);
    expect(message.status).toBe(303);

    const page = await (await call(`/review/${rec.id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain('data-kind="note"');
    expect(page).toContain('data-kind="to-submitter"');
    expect(page).toContain("not yet read by the submitter");

    const seen = await status(rec.receipt);
    expect(seen.messages.map((m) => m.text)).toEqual(["Thank you, we are reading it."]);
    expect(JSON.stringify(seen)).not.toContain("cousin");

    const after = await (await call(`/review/${rec.id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(after).toContain("read by the submitter");
    expect(after).not.toContain("not yet read by the submitter");
  });

  it("a rejection keeps its reason with staff and sends its message to the submitter", async () => {
    const rec = await submit();
    const coordinator = await staffSession("coordinator");
    const fields = {
      action: "reject",
      expected_step: "received",
      comment: "Outside our mandate; the source is unreliable.",
      message: "We cannot take this forward. Thank you for your courage.",
    };
    // A second page asks first, saying what the submitter will and will not read; nothing happens yet.
    const asked = await actForm(rec.id, fields, coordinator);
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain("Message the submitter will read: We cannot take this forward.");
    expect(confirm).toContain("Reason (staff only): Outside our mandate");
    expect((await status(rec.receipt)).step).toBe("received");
    const res = await actForm(rec.id, { ...fields, confirmed: "yes" }, coordinator);
    expect(res.status).toBe(303);
    const seen = await status(rec.receipt);
    expect(seen.step).toBe("rejected");
    expect(seen.messages.map((m) => m.text)).toEqual(["We cannot take this forward. Thank you for your courage."]);
    expect(JSON.stringify(seen)).not.toContain("unreliable");
  });

  it("takes a note from a tab whose step has moved on (words do not name the step)", async () => {
    const rec = await submit();
    const reviewer = await staffSession("reviewer");
    await actForm(rec.id, { action: "advance", expected_step: "received" }, reviewer);
    const res = await actForm(rec.id, { action: "comment", comment: "Written in an old tab." }, reviewer);
    expect(res.status).toBe(303);
    // The buttons that move the step still need the step the person saw.
    expect((await actForm(rec.id, { action: "advance" }, reviewer)).status).toBe(422);
  });
});

describe("the status page", () => {
  it("shows what was sent, without contact details or safety notes, and helps with a lost receipt", async () => {
    const lookup = await (await call("/uk/status")).text();
    expect(lookup).toContain(catalogues.uk["status.lost.title"]);

    const rec = await submit();
    const res = await call("/en/status", {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ receipt: rec.receipt }),
    });
    const html = await res.text();
    const sent = html.slice(html.indexOf('data-testid="sent"'));
    const sample = sampleRecommendation();
    expect(sent).toContain(sample.conduct.summary);
    expect(sent).toContain(sample.submitter.organization);
    expect(html).not.toContain(sample.submitter.contact_email);
    expect(html).not.toContain(sample.safety.notes as string);
  });
});
