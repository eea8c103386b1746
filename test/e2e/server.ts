import type { TestProject } from "vitest/node";
import { startDevServer } from "../../scripts/lib/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    stateDir: string;
  }
}

/** One `npm start` for the browser tests, on its own state. */
export default async function setup(project: TestProject) {
  const server = await startDevServer({ quiet: true });
  project.provide("baseUrl", server.baseUrl);
  project.provide("stateDir", server.stateDir);
  return () => server.stop();
}
