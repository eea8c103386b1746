import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { createToken, staffSession } from "../helpers/staff.ts";
import { storedUnopened, submitSample } from "../helpers/submit.ts";

function reconcile(session: { cookie: string; csrf: string }, after = 0) {
  return call("/admin/reconcile", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
    body: new URLSearchParams({ _csrf: session.csrf, after: String(after), total: "0" }).toString(),
  });
}

async function queueStep(id: string) {
  const row = await env.DB.prepare(
    "SELECT q.step, q.event_seq FROM queue q JOIN recommendations r ON r.seq = q.rec_seq WHERE r.id = ?",
  )
    .bind(id)
    .first<{ step: string; event_seq: number }>();
  return row;
}

describe("rebuilding the queue projection from the objects (admin)", () => {
  it("rewrites a queue row that disagrees with its object, and opens an object intake never reached", async () => {
    const admin = await staffSession("admin");
    const reviewer = await staffSession("reviewer");
    const { id } = await submitSample();
    await postJson(
      `/api/v1/recommendations/${id}/actions`,
      { action: "advance", expected_step: "received" },
      {
        Cookie: reviewer.cookie,
      },
    );
    // A restored backup, say: D1 says received while the object says triage.
    await env.DB.prepare(
      "UPDATE queue SET step = 'received', event_seq = 1 WHERE rec_seq = (SELECT seq FROM recommendations WHERE id = ?)",
    )
      .bind(id)
      .run();

    // A D1 row whose object was never opened (intake failed after its D1 commit).
    const orphan = await storedUnopened("Orphan");
    expect(await recommendationObject(env, orphan).state()).toBeNull();

    let after = 0;
    for (let round = 0; round < 10; round++) {
      const res = await reconcile(admin, after);
      expect(res.status).toBe(200);
      const html = await res.text();
      const next = /name="after" value="(\d+)"/.exec(html)?.[1];
      if (!next) {
        expect(html).toContain("Every recommendation is reconciled.");
        break;
      }
      after = Number(next);
    }
    expect(await queueStep(id)).toEqual({ step: "triage", event_seq: 2 });
    expect(await recommendationObject(env, orphan).state()).toMatchObject({ id: orphan, step: "received" });
    // Opened from the D1 row alone, with the content and file hashes fixed at intake.
    expect((await recommendationObject(env, orphan).events())[0]).toMatchObject({
      action: "submit",
      data: { content_sha256: "c".repeat(64), sealed_sha256: "s".repeat(64), files: [] },
    });
  });

  it("is refused to anyone but an admin", async () => {
    const coordinator = await staffSession("coordinator");
    expect((await reconcile(coordinator)).status).toBe(403);
    expect((await call("/admin", { headers: { Cookie: coordinator.cookie } })).status).toBe(403);
  });

  it("lists the API tokens for admins, never the tokens themselves", async () => {
    const admin = await staffSession("admin");
    const token = await createToken(["export", "contact"]);
    await createToken(["export"], { revokedAt: new Date().toISOString() });
    const html = await (await call("/admin", { headers: { Cookie: admin.cookie } })).text();
    expect(html).toContain('data-testid="tokens"');
    expect(html).toContain("export, contact");
    expect(html).toContain("revoked");
    expect(html).not.toContain(token);
  });
});
