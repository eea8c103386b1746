import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { baseUrl } from "./helpers.ts";

const REDOCLY = fileURLToPath(new URL("../../node_modules/.bin/redocly", import.meta.url));

describe("the OpenAPI document served by the running app", () => {
  it("passes `redocly lint` with no errors", async () => {
    const res = await fetch(`${baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), "openapi-")), "openapi.json");
    writeFileSync(file, await res.text());
    const lint = spawnSync(REDOCLY, ["lint", file, "--format=json"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      timeout: 120_000,
    });
    const report = JSON.parse(lint.stdout) as { problems: { severity: string; ruleId: string; message: string }[] };
    expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
    // The one warning left asks for a licence URL; the coalition has not chosen a licence for its API.
    expect(report.problems.map((p) => p.ruleId)).toEqual(["info-license-strict"]);
  });
});
