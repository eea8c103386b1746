import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { staff } from "../../worker/db/schema.ts";
import type { Actor } from "../../worker/domain/workflow.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";
import { call, ORIGIN, postJson } from "../helpers/http.ts";
import { createStaff, createToken, staffSession } from "../helpers/staff.ts";
import { submitSample } from "../helpers/submit.ts";

const reviewer: Actor = { kind: "staff", id: "staff-r2", email: "r2@example.org", role: "reviewer" };

/** A recommendation walked to final approval. */
async function atFinalApproval(): Promise<string> {
  const { id } = await submitSample();
  const object = recommendationObject(env, id);
  for (const step of ["received", "triage", "legal_review", "evidence_review"] as const) {
    expect((await object.act({ action: "advance" }, reviewer, step)).ok).toBe(true);
  }
  return id;
}

function approve(id: string, auth: { cookie?: string; token?: string }) {
  return postJson(
    `/api/v1/recommendations/${id}/actions`,
    { action: "approve", expected_step: "final_approval" },
    auth.cookie ? { Cookie: auth.cookie, Origin: ORIGIN } : { Authorization: `Bearer ${auth.token}` },
  );
}

async function stepOf(id: string) {
  return (await recommendationObject(env, id).state())?.step;
}

describe("two-person approval counts people, over HTTP", () => {
  it("refuses the same coordinator approving twice through the API (409)", async () => {
    const id = await atFinalApproval();
    const coordinator = await staffSession("coordinator");
    expect((await approve(id, coordinator)).status).toBe(200);
    const again = await approve(id, coordinator);
    expect(again.status).toBe(409);
    expect(await stepOf(id)).toBe("final_approval");
  });

  it("counts a coordinator and their own token as one person", async () => {
    const id = await atFinalApproval();
    const coordinator = await staffSession("coordinator");
    const theirs = await createToken(["review"], { ownerId: coordinator.id });
    expect((await approve(id, coordinator)).status).toBe(200);
    expect((await approve(id, { token: theirs })).status).toBe(409);
    expect(await stepOf(id)).toBe("final_approval");

    const other = await createToken(["review"]);
    const second = await approve(id, { token: other });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ step: "approved" });
  });

  it("counts two tokens of one person as one person", async () => {
    const id = await atFinalApproval();
    const owner = await createStaff("coordinator");
    const one = await createToken(["review"], { ownerId: owner.id });
    const two = await createToken(["review"], { ownerId: owner.id });
    expect((await approve(id, { token: one })).status).toBe(200);
    expect((await approve(id, { token: two })).status).toBe(409);
    expect(await stepOf(id)).toBe("final_approval");
  });

  it("gives a token its owner's role: a reviewer's token cannot approve, nor read contact details", async () => {
    const id = await atFinalApproval();
    const owner = await createStaff("reviewer");
    const token = await createToken(["review", "export", "contact"], { ownerId: owner.id });
    expect((await approve(id, { token })).status).toBe(403);
    const one = await call(`/api/v1/recommendations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(one.status).toBe(200);
    expect(JSON.stringify(await one.json())).not.toContain("contact_email");
  });

  it("lets a token without an owner read but never act", async () => {
    const id = await atFinalApproval();
    const token = await createToken(["review", "export"], { ownerId: null });
    const acted = await approve(id, { token });
    expect(acted.status).toBe(403);
    const read = await call(`/api/v1/recommendations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
  });

  it("stops a token working when its owner is disabled", async () => {
    const owner = await createStaff("coordinator");
    const token = await createToken(["export"], { ownerId: owner.id });
    const headers = { Authorization: `Bearer ${token}` };
    expect((await call("/api/v1/recommendations?limit=1", { headers })).status).toBe(200);
    await drizzle(env.DB).update(staff).set({ disabledAt: new Date().toISOString() }).where(eq(staff.id, owner.id));
    expect((await call("/api/v1/recommendations?limit=1", { headers })).status).toBe(401);
  });
});
