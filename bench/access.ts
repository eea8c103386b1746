import type { DevServer } from "../scripts/lib/dev-server.ts";
import { addStaff, createToken, signIn } from "../scripts/lib/local-accounts.ts";

/** The staff the benchmarks act as: made once (each account command takes seconds), signed in on `server`. */
export interface Access {
  /** A reviewer's session: the queue as reviewers see it. */
  reviewerCookie: string;
  /** A coordinator's session: the dashboard. */
  coordinatorCookie: string;
  /** A coordinator's token with every scope the benchmarks use. */
  token: string;
}

export async function benchAccess(server: DevServer): Promise<Access> {
  const reviewer = addStaff(server.stateDir, "reviewer", "bench");
  const coordinator = addStaff(server.stateDir, "coordinator", "bench");
  const token = createToken(server.stateDir, coordinator.email, ["export", "originals"], "bench");
  const reviewerCookie = await signIn(server.baseUrl, reviewer);
  if (!reviewerCookie.startsWith("__Host-session=")) throw new Error("bench sign-in failed");
  return { reviewerCookie, coordinatorCookie: await signIn(server.baseUrl, coordinator), token };
}
