import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// A fixed key for the test runtime only (encryption is still real AES-GCM).
const TEST_DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=";

// Wrangler checks `[secrets] required` against .dev.vars or the environment; on a
// clean clone there is no .dev.vars, so the test key answers that check too.
process.env.DATA_KEY ??= TEST_DATA_KEY;

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
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  DATA_KEY: TEST_DATA_KEY,
                  // Access mode on, against keys the tests publish themselves (test/security/access.test.ts).
                  ACCESS_TEAM_DOMAIN: "dossier-test.cloudflareaccess.com",
                  ACCESS_AUD: "dossier-test-audience",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/{integration,durable,security}/**/*.test.{ts,tsx}"],
            setupFiles: ["./test/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
