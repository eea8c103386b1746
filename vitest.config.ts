import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// A fixed key for the test runtime only (encryption is still real AES-GCM).
const TEST_DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=";

// Wrangler checks `[secrets] required` against .dev.vars or the environment; on a
// clean clone there is no .dev.vars, so the test key answers that check too.
process.env.DATA_KEY ??= TEST_DATA_KEY;

const WORKER_TESTS = "test/{integration,durable,security}/**/*.test.{ts,tsx}";
const ACCESS_TESTS = "test/security/access.test.ts";

/** The Worker as wrangler.toml configures it, with extra bindings on top. */
function worker(migrations: Awaited<ReturnType<typeof readD1Migrations>>, bindings: Record<string, string> = {}) {
  return cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: { bindings: { TEST_MIGRATIONS: migrations, DATA_KEY: TEST_DATA_KEY, ...bindings } },
  });
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          // domain/ is runtime-free: its tests run in plain Node to prove it.
          test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
        },
        {
          // The operator's commands, run as an operator would, against a state of their own.
          test: { name: "cli", include: ["test/cli/**/*.test.ts"], environment: "node", testTimeout: 120_000 },
        },
        {
          // The default configuration of wrangler.toml: password, TOTP and sessions; no Access.
          plugins: [worker(migrations)],
          test: {
            name: "workers",
            include: [WORKER_TESTS],
            exclude: [ACCESS_TESTS],
            setupFiles: ["./test/apply-migrations.ts"],
          },
        },
        {
          // Cloudflare Access mode, against keys the tests publish themselves.
          plugins: [
            worker(migrations, {
              ACCESS_TEAM_DOMAIN: "dossier-test.cloudflareaccess.com",
              ACCESS_AUD: "dossier-test-audience",
            }),
          ],
          test: { name: "workers-access", include: [ACCESS_TESTS], setupFiles: ["./test/apply-migrations.ts"] },
        },
      ],
    },
  };
});
