import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Fixed keys for the test runtime only (encryption and signatures are still real).
const TEST_DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=";
const TEST_SIGNING_KEY =
  "eyJjcnYiOiJFZDI1NTE5IiwiZCI6ImUza2ZvRHoxWnZyeWhSUDN4Q0syR2x2d2dRWnV6S3FRZWR0REs1MFlZY0EiLCJ4IjoiY19xYmplaDMyaTFLTTlpZFVSN1JHN25lc2dad0NyNnIxb3JCY3lJS0d1YyIsImt0eSI6Ik9LUCIsImtpZCI6IjE0NDUxZGZmIn0=";

// Wrangler checks `[secrets] required` against .dev.vars or the environment; on a
// clean clone there is no .dev.vars, so the test keys answer that check too.
process.env.DATA_KEY ??= TEST_DATA_KEY;
process.env.SIGNING_KEY ??= TEST_SIGNING_KEY;

const WORKER_TESTS = "test/{integration,durable,security}/**/*.test.{ts,tsx}";
const ACCESS_TESTS = "test/security/access.test.ts";
const RETENTION_ZERO_TESTS = "test/retention-zero/**/*.test.ts";

/** The Worker as wrangler.toml configures it, with extra bindings on top. */
function worker(migrations: Awaited<ReturnType<typeof readD1Migrations>>, bindings: Record<string, string> = {}) {
  return cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: {
      bindings: { TEST_MIGRATIONS: migrations, DATA_KEY: TEST_DATA_KEY, SIGNING_KEY: TEST_SIGNING_KEY, ...bindings },
      // Batches as in production, delivered sooner: tests wait for screening, not for a batch to fill.
      queueConsumers: {
        "dossier-screening": { maxBatchSize: 25, maxBatchTimeout: 0.05, maxRetries: 3 },
        "dossier-notifications": { maxBatchSize: 50, maxBatchTimeout: 0.05, maxRetries: 3 },
      },
    },
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
        {
          // RETENTION_DAYS=0: what closes is purged at once.
          plugins: [worker(migrations, { RETENTION_DAYS: "0" })],
          test: {
            name: "workers-retention-0",
            include: [RETENTION_ZERO_TESTS],
            setupFiles: ["./test/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
