import type { DevServer } from "../scripts/lib/dev-server.ts";
import { addStaff, createToken, type LocalStaff, signIn } from "../scripts/lib/local-accounts.ts";

/** The staff the benchmarks act as, made once in the state the others are copied from. */
export interface BenchStaff {
  reviewer: LocalStaff;
  coordinator: LocalStaff;
}

/** The staff signed in on one runtime. */
export interface Access {
  /** A reviewer's session: the queue as reviewers see it. */
  reviewerCookie: string;
  /** A coordinator's session: the dashboard. */
  coordinatorCookie: string;
  /** The coordinator's token with every scope the benchmarks use. */
  token: string;
}

/** Each account command takes seconds: the two accounts are made side by side. */
export async function addBenchStaff(stateDir: string): Promise<BenchStaff> {
  const [reviewer, coordinator] = await Promise.all([
    addStaff(stateDir, "reviewer", "bench"),
    addStaff(stateDir, "coordinator", "bench"),
  ]);
  return { reviewer, coordinator };
}

/** A token of the coordinator's in one state (tokens are made for each, while its runtime starts). */
export function benchToken(stateDir: string, staff: BenchStaff, scopes: string[]): Promise<string> {
  return createToken(stateDir, staff.coordinator.email, scopes, "bench");
}

export async function signedIn(server: DevServer, staff: BenchStaff, token: string): Promise<Access> {
  const reviewerCookie = await signIn(server.baseUrl, staff.reviewer);
  if (!reviewerCookie.startsWith("__Host-session=")) throw new Error("bench sign-in failed");
  return { reviewerCookie, coordinatorCookie: await signIn(server.baseUrl, staff.coordinator), token };
}
