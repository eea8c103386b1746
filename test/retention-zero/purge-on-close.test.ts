import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../worker/domain/workflow.ts";
import { pdfBytes } from "../helpers/files.ts";
import { postJson } from "../helpers/http.ts";
import { sampleRecommendation } from "../helpers/sample.ts";
import { type Created, openedObject } from "../helpers/submit.ts";
import { uploadAll } from "../helpers/tus.ts";

const coordinator: Actor = { kind: "staff", id: "staff-zero", email: "zero@example.org", role: "coordinator" };

describe("with RETENTION_DAYS=0", () => {
  it("purges the sealed fields and originals as soon as the step closes, and not before", async () => {
    const file = await uploadAll(pdfBytes(3000, 5), "zero.pdf");
    const res = await postJson("/api/v1/recommendations", { ...sampleRecommendation(), attachments: [file] });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as Created;
    const object = await openedObject(id);

    // Open: nothing is purged, whatever the alarm does.
    await runDurableObjectAlarm(object);
    expect((await object.events()).map((e) => e.action)).toEqual(["submit"]);

    const rejected = await object.act({ action: "reject", comment: "no" }, coordinator, "received");
    expect(rejected.ok).toBe(true);
    // Due the moment it closed: the alarm is set for then, and purges.
    expect((await object.state())?.purgeDueAt).toBe((await object.state())?.closedAt);
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect((await object.events()).map((e) => e.action)).toEqual(["submit", "reject", "purge"]);
    const row = await env.DB.prepare(
      "SELECT r.sealed, a.purged_at, a.original_key FROM recommendations r JOIN attachments a ON a.rec_seq = r.seq WHERE r.id = ?",
    )
      .bind(id)
      .first<{ sealed: string; purged_at: string | null; original_key: string }>();
    expect(row?.sealed).toBe("");
    expect(row?.purged_at).not.toBeNull();
    expect(await env.FILES.head(row?.original_key as string)).toBeNull();
  });
});
