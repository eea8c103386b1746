import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Actor } from "../../worker/domain/workflow.ts";
import { recommendationObject } from "../../worker/durable/recommendation.ts";

const reviewer: Actor = { kind: "staff", id: "staff-walk-r", email: "walk-r@example.org", role: "reviewer" };
const coordA: Actor = { kind: "staff", id: "staff-walk-a", email: "walk-a@example.org", role: "coordinator" };
const coordB: Actor = { kind: "staff", id: "staff-walk-b", email: "walk-b@example.org", role: "coordinator" };

/** Walks a recommendation through review to `approved`: a reviewer advances it, two coordinators approve. */
export async function walkToApproved(id: string): Promise<void> {
  const object = recommendationObject(env, id);
  for (const step of ["received", "triage", "legal_review", "evidence_review"] as const) {
    expect((await object.act({ action: "advance" }, reviewer, step)).ok).toBe(true);
  }
  expect((await object.act({ action: "approve" }, coordA, "final_approval")).ok).toBe(true);
  expect((await object.act({ action: "approve" }, coordB, "final_approval")).ok).toBe(true);
}
