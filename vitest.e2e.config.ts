import { defineConfig } from "vitest/config";

// Real-browser tests: Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core against `npm start` on a fresh state and a free port.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/server.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
