import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EventData } from "../../worker/domain/event-log.ts";
import type { Actor } from "../../worker/domain/workflow.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { jpegWithGps, pdfBytes } from "../helpers/files.ts";
import { call, postForm, postJson } from "../helpers/http.ts";
import { check, publishedKey } from "../helpers/packet.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { createStaff, createToken } from "../helpers/staff.ts";
import { type Created, openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";
import { unzipStored } from "../helpers/unzip.ts";

const DAY = 86_400_000;
const coordinator: Actor = { kind: "staff", id: "staff-keep", email: "keep@example.org", role: "coordinator" };

/** A recommendation with a PDF (no clean copy: only its original is stored) and a photo (a clean copy too). */
async function submitWithFiles(name: string) {
  const pdf = await uploadAll(pdfBytes(4000, name.length), "report.pdf");
  const photo = await uploadAll(jpegWithGps(), "photo.jpg");
  const res = await postJson("/api/v1/recommendations", {
    ...sampleRecommendation({ targetName: name }),
    attachments: [pdf, photo],
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Created;
  await openedObject(created.id);
  return { ...created, pdf, photo };
}

async function files(id: string) {
  const rows = await env.DB.prepare(
    `SELECT a.id, a.sha256, a.original_key, a.clean_key, a.purged_at FROM attachments a
     JOIN recommendations r ON r.seq = a.rec_seq WHERE r.id = ? ORDER BY a.created_at, a.id`,
  )
    .bind(id)
    .all<{ id: string; sha256: string; original_key: string; clean_key: string | null; purged_at: string | null }>();
  return rows.results;
}

/** Moves the retention clock (or the erasure) `days` into the past, as if that time had gone by. */
async function age(id: string, column: "closed_at" | "erase_at", days: number) {
  await runInDurableObject(recommendationObject(env, id), async (_instance, state) => {
    state.storage.sql.exec(`UPDATE state SET ${column} = ?`, new Date(Date.now() - days * DAY).toISOString());
  });
}

async function inboxKinds(staffId: string, recId: string) {
  const rows = await env.DB.prepare("SELECT kind FROM inbox WHERE staff_id = ? AND rec_id = ?")
    .bind(staffId, recId)
    .all<{ kind: string }>();
  return rows.results.map((r) => r.kind);
}

async function purgeEvents(id: string) {
  return (await recommendationObject(env, id).events()).filter((e) => e.action === "purge");
}

describe("retention: after a recommendation closes", () => {
  it("purges its sealed fields and original files when RETENTION_DAYS have passed, and it still verifies", async () => {
    const rec = await submitWithFiles("Retention Purged");
    const object = recommendationObject(env, rec.id);
    const genesis = (await object.events())[0]?.data as EventData;
    const rejected = await object.act({ action: "reject", comment: "out of scope" }, coordinator, "received");
    expect(rejected.ok).toBe(true);
    const closed = await object.state();
    // 365 days by default, counted from the closing.
    expect(Date.parse(closed?.purgeDueAt ?? "") - Date.parse(closed?.closedAt ?? "")).toBe(365 * DAY);

    // Not due yet: the alarm purges nothing.
    await runDurableObjectAlarm(object);
    expect(await purgeEvents(rec.id)).toEqual([]);

    await age(rec.id, "closed_at", 366);
    const before = await files(rec.id);
    expect(await runDurableObjectAlarm(object)).toBe(true);

    const [purge] = await purgeEvents(rec.id);
    expect(purge).toMatchObject({ actor: "system", from: "rejected", to: "rejected" });
    expect(purge?.data).toEqual({
      content_sha256: genesis.content_sha256,
      purged: {
        reason: "retention",
        sealed_sha256: genesis.sealed_sha256,
        files: before.map((f) => ({ id: f.id, sha256: f.sha256 })),
      },
    });
    const row = await env.DB.prepare("SELECT sealed, purged_at FROM recommendations WHERE id = ?")
      .bind(rec.id)
      .first<{ sealed: string; purged_at: string | null }>();
    expect(row).toEqual({ sealed: "", purged_at: purge?.at });
    const after = await files(rec.id);
    expect(after.map((f) => f.purged_at)).toEqual([purge?.at, purge?.at]);
    // The originals are gone; the photo's clean copy stays.
    for (const f of after) expect(await env.FILES.head(f.original_key)).toBeNull();
    const photo = after.find((f) => f.id === rec.photo);
    expect(photo?.clean_key).toBeTruthy();
    expect(await env.FILES.head(photo?.clean_key as string)).not.toBeNull();

    // The record still verifies: the content hash by the sealed hash the purge recorded.
    const token = await createToken(["export", "contact", "originals", "review"]);
    const auth = { Authorization: `Bearer ${token}` };
    const verification = (await (
      await call(`/api/v1/recommendations/${rec.id}/verification`, { headers: auth })
    ).json()) as {
      verified: boolean;
      problems: unknown[];
      content_sha256: string;
    };
    expect(verification).toMatchObject({ verified: true, problems: [], content_sha256: genesis.content_sha256 });

    // What staff still get: no contact details (and no false alarm about them), the clean copy, 410 for originals.
    const shown = (await (await call(`/api/v1/recommendations/${rec.id}`, { headers: auth })).json()) as Record<
      string,
      unknown
    >;
    expect(shown.purged_at).toBe(purge?.at);
    expect(shown.sealed_unreadable).toBeUndefined();
    expect(JSON.stringify(shown)).not.toContain(sampleRecommendation().submitter.contact_email);
    const base = `/api/v1/recommendations/${rec.id}/attachments`;
    expect((await call(`${base}/${rec.pdf}?variant=original`, { headers: auth })).status).toBe(410);
    expect((await call(`${base}/${rec.pdf}`, { headers: auth })).status).toBe(410);
    const clean = await call(`${base}/${rec.photo}`, { headers: auth });
    expect(clean.status).toBe(200);
    await clean.arrayBuffer();

    // Packets leave out what is gone, and say so; what they carry still checks against the log.
    for (const [variant, carried] of [
      ["original", []],
      ["default", [rec.photo]],
    ] as const) {
      const res = await call(`/api/v1/recommendations/${rec.id}/packet.zip?variant=${variant}`, { headers: auth });
      expect(res.status).toBe(200);
      const entries = unzipStored(new Uint8Array(await res.arrayBuffer()));
      const manifest = JSON.parse(new TextDecoder().decode(entries.get("manifest.json"))) as {
        withheld: { id: string; reason: string }[];
      };
      const purged = [rec.pdf, rec.photo].filter((f) => !(carried as readonly string[]).includes(f));
      expect(manifest.withheld).toEqual(
        before.filter((f) => purged.includes(f.id)).map((f) => ({ id: f.id, reason: "purged" })),
      );
      expect(await check(entries, [await publishedKey()])).toMatchObject({ ok: true });
    }

    // Once is enough: another alarm purges nothing more.
    await runDurableObjectAlarm(object);
    expect(await purgeEvents(rec.id)).toHaveLength(1);
  });

  it("stops the clock while a coordinator holds it; releasing starts a full period again", async () => {
    const rec = await submitWithFiles("Retention Held");
    const coord = await createToken(["review"]);
    const act = (body: Record<string, unknown>, token = coord) =>
      postJson(`/api/v1/recommendations/${rec.id}/actions`, body, { Authorization: `Bearer ${token}` });
    expect((await act({ action: "reject", comment: "no", expected_step: "received" })).status).toBe(200);

    // A reviewer may not hold; a hold needs a reason.
    const reviewer = await createStaff("reviewer");
    const reviewerToken = await createToken(["review"], { ownerId: reviewer.id });
    expect((await act({ action: "hold", comment: "court", expected_step: "rejected" }, reviewerToken)).status).toBe(
      403,
    );
    expect((await act({ action: "hold", expected_step: "rejected" })).status).toBe(422);
    const held = await act({ action: "hold", comment: "Evidence in a court case", expected_step: "rejected" });
    expect(held.status).toBe(200);
    expect((await act({ action: "hold", comment: "again", expected_step: "rejected" })).status).toBe(409);

    const object = recommendationObject(env, rec.id);
    expect((await object.state())?.purgeDueAt).toBeNull();
    await age(rec.id, "closed_at", 400);
    await runDurableObjectAlarm(object);
    expect(await purgeEvents(rec.id)).toEqual([]);
    for (const f of await files(rec.id)) expect(await env.FILES.head(f.original_key)).not.toBeNull();

    const released = await act({ action: "release", expected_step: "rejected" });
    expect(released.status).toBe(200);
    const { event } = (await released.json()) as { event: { at: string } };
    expect((await object.state())?.purgeDueAt).toBe(new Date(Date.parse(event.at) + 365 * DAY).toISOString());
    expect((await act({ action: "release", expected_step: "rejected" })).status).toBe(409);
    // Nobody but the system purges.
    expect((await act({ action: "purge", expected_step: "rejected" })).status).toBe(403);
  });

  it("stops the clock when the recommendation is reopened", async () => {
    const rec = await submitWithFiles("Retention Reopened");
    const object = recommendationObject(env, rec.id);
    expect((await object.act({ action: "reject", comment: "no" }, coordinator, "received")).ok).toBe(true);
    expect((await object.state())?.purgeDueAt).not.toBeNull();
    expect((await object.act({ action: "reopen" }, coordinator, "rejected")).ok).toBe(true);
    expect(await object.state()).toMatchObject({ step: "triage", closedAt: null, purgeDueAt: null });
  });
});

describe("erasure on request", () => {
  async function status(receipt: string) {
    return (await (await postJson("/api/v1/status", { receipt })).json()) as { erasure: unknown; step: string };
  }

  it("after withdrawing, erases the contact details and files 7 days later, and the status says when", async () => {
    const coordinatorAccount = await createStaff("coordinator");
    const rec = await submitWithFiles("Erasure Asked");
    // Not before withdrawing.
    expect((await postJson("/api/v1/status/erase", { receipt: rec.receipt })).status).toBe(409);
    expect((await status(rec.receipt)).erasure).toBeNull();
    expect((await postJson("/api/v1/status/withdraw", { receipt: rec.receipt })).status).toBe(200);
    // Withdrawn: the retention period runs.
    const due = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10);
    expect((await status(rec.receipt)).erasure).toMatchObject({ state: "planned", asked: false });

    const asked = await postJson("/api/v1/status/erase", { receipt: rec.receipt });
    expect(asked.status).toBe(200);
    const week = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    expect(await asked.json()).toMatchObject({
      step: "withdrawn",
      erasure: { state: "planned", on: week, asked: true },
    });
    expect(due > week).toBe(true);
    expect((await postJson("/api/v1/status/erase", { receipt: rec.receipt })).status).toBe(409);
    // Coordinators are told, so one can hold it in time.
    await expect.poll(() => inboxKinds(coordinatorAccount.id, rec.id)).toContain("erasure_requested");

    // The status page, in the submitter's language, says when.
    const page = await (await postForm("/fr/status", { receipt: rec.receipt })).text();
    expect(page).toContain(`data-testid="erasure"`);
    expect(page).toContain(week);

    const object = recommendationObject(env, rec.id);
    await age(rec.id, "erase_at", 1);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    const [purge] = await purgeEvents(rec.id);
    expect(purge?.data?.purged?.reason).toBe("erasure");
    expect(purge?.data?.purged?.files.map((f) => f.id).sort()).toEqual([rec.pdf, rec.photo].sort());
    expect((await status(rec.receipt)).erasure).toEqual({
      state: "done",
      on: purge?.at.slice(0, 10),
      asked: true,
    });
    // Erased already: nothing left to ask for.
    expect((await postJson("/api/v1/status/erase", { receipt: rec.receipt })).status).toBe(409);
  });

  it("waits while a coordinator holds it, and the status page says so", async () => {
    const rec = await submitWithFiles("Erasure Held");
    expect((await postJson("/api/v1/status/withdraw", { receipt: rec.receipt })).status).toBe(200);
    expect((await postJson("/api/v1/status/erase", { receipt: rec.receipt })).status).toBe(200);
    const object = recommendationObject(env, rec.id);
    expect((await object.act({ action: "hold", comment: "a court asked" }, coordinator, "withdrawn")).ok).toBe(true);
    expect((await status(rec.receipt)).erasure).toEqual({ state: "held", on: null, asked: true });
    await age(rec.id, "erase_at", 3);
    await runDurableObjectAlarm(object);
    expect(await purgeEvents(rec.id)).toEqual([]);
    // Released: the erasure asked for is due at once.
    expect((await object.act({ action: "release" }, coordinator, "withdrawn")).ok).toBe(true);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await purgeEvents(rec.id)).toHaveLength(1);
  });

  it("asks once more on the status page before erasing, without JavaScript", async () => {
    const rec = await submitWithFiles("Erasure Confirmed");
    expect((await postJson("/api/v1/status/withdraw", { receipt: rec.receipt })).status).toBe(200);
    const first = await (await postForm("/es/status", { receipt: rec.receipt, _action: "erase" })).text();
    expect(first).toContain('value="erase_confirmed"');
    expect((await recommendationObject(env, rec.id).state())?.eraseAt).toBeNull();
    const done = await postForm("/es/status", { receipt: rec.receipt, _action: "erase_confirmed" });
    expect(done.status).toBe(200);
    expect((await recommendationObject(env, rec.id).state())?.eraseAt).not.toBeNull();
  });
});
