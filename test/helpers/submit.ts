import { expect } from "vitest";
import { postJson } from "./http.ts";
import { sampleRecommendation } from "./sample.ts";

export interface Created {
  id: string;
  reference: string;
  receipt: string;
  step: string;
}

/** Submits the sample through the JSON API and returns the 201 body. */
export async function submitSample(targetName?: string): Promise<Created> {
  const res = await postJson("/api/v1/recommendations", sampleRecommendation({ targetName }));
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}
