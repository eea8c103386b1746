import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { contentSha256, sealedSha256 } from "../../worker/domain/custody.ts";
import { hashEvent } from "../../worker/domain/event-log.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { open, sealContext } from "../../worker/security/crypto.ts";
import { dataKeys } from "../../worker/security/keys.ts";
import { pdfBytes, sha256Of } from "../helpers/files.ts";
import { call, postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";

interface Created {
  id: string;
  receipt: string;
  files: { id: string; sha256: string }[];
  fingerprint: string;
}

interface Verdict {
  verified: boolean;
  head: { seq: number; hash: string };
  content_sha256: string | null;
  checked: string[];
  problems: { check: string; message: string; seq?: number; file?: string }[];
}

const token = await createToken(["export"]);
const reviewer = await staffSession("reviewer");

async function submitWithFiles(...files: Uint8Array[]): Promise<Created> {
  const attachments = [];
  for (const [i, bytes] of files.entries()) attachments.push(await uploadAll(bytes, `exhibit-${i}.pdf`));
  const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as Created;
  await openedObject(created.id);
  return created;
}

async function verification(id: string): Promise<Verdict> {
  const res = await call(`/api/v1/recommendations/${id}/verification`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Verdict;
}

async function act(id: string, body: Record<string, unknown>) {
  const res = await postJson(`/api/v1/recommendations/${id}/actions`, body, { Cookie: reviewer.cookie });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function walk(id: string) {
  await act(id, { action: "advance", expected_step: "received" });
  await act(id, { action: "comment", expected_step: "triage", comment: "Corroborated by two sources" });
  await act(id, { action: "advance", expected_step: "triage" });
}

function sql(id: string, statement: string, ...bindings: unknown[]) {
  return runInDurableObject(recommendationObject(env, id), (_instance, state) => {
    state.storage.sql.exec(statement, ...bindings);
  });
}

describe("chain of custody", () => {
  it("fixes the submission's content and every file's SHA-256 in the first event", async () => {
    const file = pdfBytes(3000, 7);
    const rec = await submitWithFiles(file);
    const [first] = await recommendationObject(env, rec.id).events();
    const row = await env.DB.prepare("SELECT id, record, sealed FROM recommendations WHERE id = ?")
      .bind(rec.id)
      .first<{ id: string; record: string; sealed: string }>();
    if (!row || !first?.data) throw new Error("not stored");
    // Recomputed from what is stored: the part in clear and the sealed part (with its salt).
    const sealed = JSON.parse(await open(await dataKeys(env), row.sealed, sealContext(row.id)));
    expect(sealed.contact_email).toBe(sampleRecommendation().submitter.contact_email);
    expect(sealed.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const sealedHash = await sealedSha256(sealed);
    expect(first.data).toEqual({
      content_sha256: await contentSha256(JSON.parse(row.record), sealedHash),
      sealed_sha256: sealedHash,
      files: [{ id: rec.files[0]?.id, sha256: await sha256Of(file) }],
    });
    expect(rec.fingerprint).toBe(first.data.content_sha256);
    expect(await verification(rec.id)).toMatchObject({
      verified: true,
      content_sha256: first.data.content_sha256,
      checked: ["chain", "head", "content", "files", "file bytes"],
      problems: [],
    });
  });

  it("fixes files added later, in the event that adds them", async () => {
    const rec = await submitWithFiles();
    await act(rec.id, { action: "advance", expected_step: "received" });
    await act(rec.id, { action: "request_changes", expected_step: "triage", comment: "Any documents?" });
    const late = pdfBytes(2000, 9);
    const lateId = await uploadAll(late, "late.pdf");
    const res = await postJson("/api/v1/status/respond", {
      receipt: rec.receipt,
      message: "Here is the order",
      attachments: [lateId],
    });
    expect(res.status).toBe(200);
    const added = (await recommendationObject(env, rec.id).events()).find((e) => e.action === "add_evidence");
    expect(added?.data).toEqual({ files: [{ id: lateId, sha256: await sha256Of(late) }] });
    expect((await verification(rec.id)).verified).toBe(true);
  });

  it("catches a log whose last events were removed", async () => {
    const rec = await submitWithFiles();
    await walk(rec.id);
    expect((await verification(rec.id)).verified).toBe(true);
    await sql(rec.id, "DELETE FROM events WHERE seq >= 3");
    await sql(rec.id, "UPDATE state SET event_seq = 2");
    const verdict = await verification(rec.id);
    expect(verdict.verified).toBe(false);
    expect(verdict.problems).toEqual([expect.objectContaining({ check: "head", seq: 4 })]);
    expect(verdict.problems[0]?.message).toContain("removed");
  });

  it("catches a log re-hashed from some event on, though it recomputes by itself", async () => {
    const rec = await submitWithFiles();
    await walk(rec.id);
    await runInDurableObject(recommendationObject(env, rec.id), async (instance, state) => {
      state.storage.sql.exec("UPDATE events SET comment = 'Not corroborated' WHERE seq = 3");
      let prev = "";
      for (const event of await instance.events()) {
        if (event.seq >= 3) {
          const { hash: _old, ...rest } = { ...event, prev_hash: prev };
          const hash = await hashEvent(rest);
          state.storage.sql.exec("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", prev, hash, event.seq);
          prev = hash;
        } else prev = event.hash;
      }
    });
    expect(await recommendationObject(env, rec.id).verify()).toBeNull();
    const verdict = await verification(rec.id);
    expect(verdict.verified).toBe(false);
    expect(verdict.problems).toEqual([expect.objectContaining({ check: "head", seq: 4 })]);
    expect(verdict.problems[0]?.message).toContain("rewritten");
  });

  it("catches an event edited in place", async () => {
    const rec = await submitWithFiles();
    await walk(rec.id);
    await sql(rec.id, "UPDATE events SET comment = 'Weak' WHERE seq = 3");
    const verdict = await verification(rec.id);
    expect(verdict.verified).toBe(false);
    expect(verdict.problems).toContainEqual(expect.objectContaining({ check: "chain", seq: 3 }));
  });

  it("catches stored content that was edited, in clear or sealed", async () => {
    const rec = await submitWithFiles();
    await env.DB.prepare(
      "UPDATE recommendations SET record = json_set(record, '$.target.name', 'Someone Else') WHERE id = ?",
    )
      .bind(rec.id)
      .run();
    const verdict = await verification(rec.id);
    expect(verdict.verified).toBe(false);
    expect(verdict.problems).toEqual([expect.objectContaining({ check: "content" })]);

    const other = await submitWithFiles();
    const sealedOfAnother = await env.DB.prepare("SELECT sealed FROM recommendations WHERE id = ?")
      .bind(rec.id)
      .first<string>("sealed");
    await env.DB.prepare("UPDATE recommendations SET sealed = ? WHERE id = ?").bind(sealedOfAnother, other.id).run();
    const swapped = await verification(other.id);
    expect(swapped.verified).toBe(false);
    expect(swapped.problems[0]?.message).toContain("sealed fields do not open");
  });

  it("catches a file swapped in storage, or its recorded hash changed", async () => {
    const a = await submitWithFiles(pdfBytes(4000, 1));
    const b = await submitWithFiles(pdfBytes(4000, 2));
    const keyOf = (id: string | undefined) =>
      env.DB.prepare("SELECT original_key FROM attachments WHERE id = ?").bind(id).first<string>("original_key");
    const [keyA, keyB] = [await keyOf(a.files[0]?.id), await keyOf(b.files[0]?.id)];
    const objectB = await env.FILES.get(keyB as string);
    if (!objectB || !keyA) throw new Error("not stored");
    await env.FILES.put(keyA, await objectB.arrayBuffer(), { customMetadata: objectB.customMetadata });
    const verdict = await verification(a.id);
    expect(verdict.verified).toBe(false);
    expect(verdict.problems).toEqual([expect.objectContaining({ check: "files", file: a.files[0]?.id })]);
    // The detail page's cheap check (no full read) catches it too: the first record does not open.
    const page = await (await call(`/review/${a.id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain("The record does not hold");
    expect(page).toContain("do not open: altered, cut or swapped");

    await env.DB.prepare("UPDATE attachments SET sha256 = ? WHERE id = ?").bind("0".repeat(64), b.files[0]?.id).run();
    const changed = await verification(b.id);
    expect(changed.problems).toEqual([
      expect.objectContaining({
        check: "files",
        file: b.files[0]?.id,
        message: expect.stringContaining("another hash"),
      }),
    ]);
  });

  it("logs a coordinator's correction with the old and the new fingerprint, and the record still holds", async () => {
    const rec = await submitWithFiles(pdfBytes(2000, 4));
    const coordinator = await staffSession("coordinator");
    const stored = await env.DB.prepare("SELECT record FROM recommendations WHERE id = ?")
      .bind(rec.id)
      .first<string>("record");
    const { attachments: _files, ...record } = JSON.parse(stored as string);
    record.targets[0].name = "Colonel Ivan Petrov";
    const correct = (body: Record<string, unknown>, cookie = coordinator.cookie) =>
      postJson(`/api/v1/recommendations/${rec.id}/correction`, body, { Cookie: cookie });

    expect((await correct({ expected_step: "received", reason: "Typo", record }, reviewer.cookie)).status).toBe(403);
    expect((await correct({ expected_step: "triage", reason: "Typo", record })).status).toBe(409);
    // Refused by the workflow after D1 took it: D1 is put back, so the record still holds.
    expect(
      await env.DB.prepare("SELECT record FROM recommendations WHERE id = ?").bind(rec.id).first<string>("record"),
    ).toBe(stored);
    expect((await verification(rec.id)).verified).toBe(true);
    const res = await correct({ expected_step: "received", reason: "The name was misspelt", record });
    expect(res.status, await res.clone().text()).toBe(200);
    const { event } = (await res.json()) as {
      event: { action: string; comment: string; data: Record<string, string> };
    };
    expect(event).toMatchObject({ action: "correct", comment: "The name was misspelt" });
    expect(event.data.previous_content_sha256).toBe(rec.fingerprint);
    expect(event.data.content_sha256).not.toBe(rec.fingerprint);

    const row = await env.DB.prepare("SELECT target_name, record FROM recommendations WHERE id = ?")
      .bind(rec.id)
      .first<{ target_name: string; record: string }>();
    expect(row?.target_name).toBe("Colonel Ivan Petrov");
    // The files and the sealed fields stay as sent.
    expect(JSON.parse(row?.record ?? "{}").attachments).toEqual([rec.files[0]?.id]);
    expect(await verification(rec.id)).toMatchObject({
      verified: true,
      content_sha256: event.data.content_sha256,
      problems: [],
    });
    // The same correction again changes nothing; through the generic actions route it is refused.
    expect((await correct({ expected_step: "received", reason: "again", record })).status).toBe(422);
    const generic = await postJson(
      `/api/v1/recommendations/${rec.id}/actions`,
      { action: "correct", expected_step: "received", comment: "no content" },
      { Cookie: coordinator.cookie },
    );
    expect(generic.status).toBe(422);
  });

  it("shows the verdict on the detail page", async () => {
    const good = await submitWithFiles();
    const page = await (await call(`/review/${good.id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(page).toContain('data-testid="custody"');
    expect(page).toContain("The record holds");
    await env.DB.prepare(
      "UPDATE recommendations SET record = json_set(record, '$.target.name', 'Someone Else') WHERE id = ?",
    )
      .bind(good.id)
      .run();
    const broken = await (await call(`/review/${good.id}`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(broken).toContain("The record does not hold");
    expect(broken).toContain("no longer hashes to its content_sha256");
  });

  it("is for staff and tokens only", async () => {
    const rec = await submitWithFiles();
    expect((await call(`/api/v1/recommendations/${rec.id}/verification`)).status).toBe(401);
    const missing = await call("/api/v1/recommendations/nope/verification", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
  });
});
