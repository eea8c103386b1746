import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { catalogues } from "../../web/i18n/index.ts";
import { UNREAD_NEWEST } from "../../worker/db/notifications.ts";
import type { Actor } from "../../worker/domain/workflow.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { sendDigests } from "../../worker/services/notifications.ts";
import { call, postForm, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { staffSession } from "../helpers/staff.ts";
import { type Created, openedObject } from "../helpers/submit.ts";

/** Waits for the notifications queue's consumer to file what `probe` looks for. */
async function eventually<T>(probe: () => Promise<T | null | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

async function inboxOf(staffId: string, recId: string) {
  const { results } = await env.DB.prepare(
    "SELECT kind, read_at, mailed_at FROM inbox WHERE staff_id = ? AND rec_id = ? ORDER BY id",
  )
    .bind(staffId, recId)
    .all<{ kind: string; read_at: string | null; mailed_at: string | null }>();
  return results;
}

async function submit(extra: Record<string, unknown> = {}): Promise<Created> {
  const sample = sampleRecommendation();
  const res = await postJson("/api/v1/recommendations", {
    ...sample,
    submitter: { ...sample.submitter, ...extra },
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Created;
  // Staff hear of it when its object is opened (by its first reader, or the Cron Trigger within five minutes).
  await openedObject(created.id);
  return created;
}

function staffActor(member: { id: string; email: string }, role: "reviewer" | "coordinator"): Actor {
  return { kind: "staff", id: member.id, email: member.email, role };
}

/** The real e-mail binding, watched: every mail is still handed to it. */
function watchedMail(from = "dossier@example.org") {
  const sent: EmailMessageBuilder[] = [];
  const mail = {
    send: (message: EmailMessageBuilder) => {
      sent.push(message);
      return env.MAIL.send(message);
    },
  } as SendEmail;
  return { sent, env: { ...env, MAIL: mail, MAIL_FROM: from, PUBLIC_URL: "https://dossier.test" } as Env };
}

describe("notices reach the inbox of those they concern", () => {
  it("a new recommendation reaches reviewers and coordinators, not admins; the submitter's message its assignee only", async () => {
    const reviewer = await staffSession("reviewer");
    const coordinator = await staffSession("coordinator");
    const admin = await staffSession("admin");
    const rec = await submit();
    await eventually(async () => (await inboxOf(reviewer.id, rec.id)).length > 0, "the reviewer is told");
    expect(await inboxOf(reviewer.id, rec.id)).toEqual([{ kind: "new", read_at: null, mailed_at: null }]);
    await eventually(async () => (await inboxOf(coordinator.id, rec.id)).length > 0, "the coordinator is told");
    expect(await inboxOf(admin.id, rec.id)).toEqual([]);

    // Assigned to the coordinator: the submitter's message goes to them alone, and the reviewer is not told.
    await recommendationObject(env, rec.id).act(
      { action: "assign", assignee: coordinator.id },
      staffActor(reviewer, "reviewer"),
      "received",
    );
    expect((await postJson("/api/v1/status/message", { receipt: rec.receipt, message: "Please pause." })).status).toBe(
      200,
    );
    await eventually(
      async () => (await inboxOf(coordinator.id, rec.id)).some((i) => i.kind === "submitter_wrote"),
      "the assignee is told the submitter wrote",
    );
    expect((await inboxOf(coordinator.id, rec.id)).map((i) => i.kind)).toEqual(["new", "assigned", "submitter_wrote"]);
    expect((await inboxOf(reviewer.id, rec.id)).map((i) => i.kind)).toEqual(["new"]);
  });

  it("shows the unread on /review; opening the recommendation reads it; 'mark all' reads the rest", async () => {
    const reviewer = await staffSession("reviewer");
    const first = await submit();
    const second = await submit();
    await eventually(async () => (await inboxOf(reviewer.id, second.id)).length > 0, "told of the second");
    const queue = await (await call("/review", { headers: { Cookie: reviewer.cookie } })).text();
    expect(queue).toContain('data-testid="inbox"');
    expect(queue).toContain(first.reference);
    expect(queue).toContain(second.reference);

    await call(`/review/${first.id}`, { headers: { Cookie: reviewer.cookie } });
    expect((await inboxOf(reviewer.id, first.id))[0]?.read_at).not.toBeNull();
    expect((await inboxOf(reviewer.id, second.id))[0]?.read_at).toBeNull();

    const read = await postForm("/review/inbox/read", { _csrf: reviewer.csrf }, { Cookie: reviewer.cookie });
    expect(read.status).toBe(303);
    expect((await inboxOf(reviewer.id, second.id))[0]?.read_at).not.toBeNull();
  });
});

describe("mail", () => {
  it("sends nothing, and marks nothing, while no sender is configured", async () => {
    const reviewer = await staffSession("reviewer");
    const rec = await submit();
    await eventually(async () => (await inboxOf(reviewer.id, rec.id)).length > 0, "told");
    expect(await sendDigests({ ...env, MAIL_FROM: "" } as Env)).toEqual({ staff: 0, submitters: 0 });
    expect((await inboxOf(reviewer.id, rec.id))[0]?.mailed_at).toBeNull();
  });

  it("mails each person at most once per interval: what comes meanwhile waits for the next digest", async () => {
    const reviewer = await staffSession("reviewer");
    const first = await submit();
    await eventually(async () => (await inboxOf(reviewer.id, first.id)).length > 0, "told of the first");
    const { sent, env: mailing } = watchedMail();
    const now = new Date();
    await sendDigests(mailing, now);
    const mine = () => sent.filter((m) => m.to === reviewer.email);
    expect(mine()).toHaveLength(1);
    const text = mine()[0]?.text ?? "";
    expect(text).toContain(first.reference);
    expect(text).toContain(`https://dossier.test/review/${first.id}`);
    // References only: neither the target's name nor any words of the case travel by mail.
    expect(text).not.toContain(sampleRecommendation().target.name);
    expect((await inboxOf(reviewer.id, first.id))[0]?.mailed_at).not.toBeNull();

    const second = await submit();
    await eventually(async () => (await inboxOf(reviewer.id, second.id)).length > 0, "told of the second");
    await sendDigests(mailing, new Date(now.getTime() + 60_000));
    expect(mine()).toHaveLength(1);
    await sendDigests(mailing, new Date(now.getTime() + 31 * 60_000));
    expect(mine()).toHaveLength(2);
    expect(mine()[1]?.text).toContain(second.reference);
    expect(mine()[1]?.text).not.toContain(first.reference);
  });

  it("tells a submitter who asked, in their language and in no more words than that a message awaits", async () => {
    const sample = sampleRecommendation();
    const res = await postJson(
      "/api/v1/recommendations",
      { ...sample, submitter: { ...sample.submitter, notify: true } },
      { "Accept-Language": "fr" },
    );
    const asked = (await res.json()) as Created;
    await openedObject(asked.id);
    const quiet = await submit();
    const coordinator = await staffSession("coordinator");
    for (const rec of [asked, quiet]) {
      await recommendationObject(env, rec.id).act(
        { action: "message", comment: "Could you send the names of the witnesses' village?" },
        staffActor(coordinator, "coordinator"),
        null,
      );
    }
    const waiting = () => env.DB.prepare("SELECT rec_id FROM submitter_notices").all<{ rec_id: string }>();
    await eventually(async () => (await waiting()).results.length >= 2, "both notices filed");

    const { sent, env: mailing } = watchedMail();
    await sendDigests(mailing);
    const theirs = sent.filter((m) => m.to === sample.submitter.contact_email);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]?.subject).toBe(catalogues.fr["mail.subject"]);
    expect(theirs[0]?.text).toContain("https://dossier.test/fr/status");
    expect(theirs[0]?.text).not.toContain("village");
    expect(theirs[0]?.text).not.toContain(asked.reference);
    // Both notices are done: one told, one with nobody who asked to be told.
    expect((await waiting()).results.filter((r) => r.rec_id === asked.id || r.rec_id === quiet.id)).toEqual([]);
  });
});

describe("the inbox's query", () => {
  it("reads someone's newest unread in order from its index and stops at the page, never sorting them all", async () => {
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${UNREAD_NEWEST}`)
      .bind("someone", 50)
      .all<{ detail: string }>();
    const details = plan.results.map((row) => row.detail);
    expect(details.some((d) => d.includes("inbox_unread_newest"))).toBe(true);
    expect(details.filter((d) => d.includes("TEMP B-TREE"))).toEqual([]);
  });
});
