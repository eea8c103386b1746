import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { npmOn, queryState } from "../helpers/local-state.ts";

/**
 * `npm run staff` and `npm run token` as an operator runs them, against a
 * local state of their own; what they stored is read back with wrangler.
 */
const state = mkdtempSync(join(tmpdir(), "dossier-cli-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const run = (script: "staff" | "token", args: string[]) => npmOn(state, script, args);

function ok(script: "staff" | "token", args: string[]): string {
  const result = run(script, args);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const query = <Row>(sql: string) => queryState<Row>(state, sql);

const reviewer = "ana@example.org";
// An apostrophe: the commands inline values as SQL literals, which must quote it.
const coordinator = "o'brien@example.org";

describe("npm run staff", () => {
  it("adds accounts with a generated or given password and a second factor for every role, sealed at rest", () => {
    const added = ok("staff", ["add", "--email", reviewer, "--role", "reviewer"]);
    const password = /Password \(shown once\): (\S+)/.exec(added)?.[1];
    const secret = /Secret: ([A-Z2-7]+)/.exec(added)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(16);
    expect(secret).toBeTruthy();
    expect(added).toContain("otpauth://totp/");

    const given = ok("staff", [
      "add",
      "--email",
      coordinator,
      "--role",
      "coordinator",
      "--password",
      "long enough password",
    ]);
    expect(given).not.toContain("Password (shown once)");
    expect(given).toContain("Secret: ");

    const rows = query<{ email: string; role: string; totp_secret: string; password_hash: string }>(
      "SELECT email, role, totp_secret, password_hash FROM staff ORDER BY email",
    );
    expect(rows.map((r) => [r.email, r.role])).toEqual([
      [reviewer, "reviewer"],
      [coordinator, "coordinator"],
    ]);
    for (const row of rows) {
      expect(row.totp_secret).toBeTruthy();
      expect(row.totp_secret).not.toContain(secret as string);
      expect(row.password_hash).not.toContain(password as string);
    }
  });

  it("refuses a second account for the same email, a bad role and a short password", () => {
    for (const args of [
      ["add", "--email", reviewer, "--role", "reviewer"],
      ["add", "--email", "x@example.org", "--role", "boss"],
      ["add", "--email", "y@example.org", "--role", "reviewer", "--password", "short"],
    ]) {
      const result = run("staff", args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr.trim().length).toBeGreaterThan(0);
    }
    // The first account is untouched by the second attempt.
    expect(run("staff", ["add", "--email", reviewer.toUpperCase(), "--role", "admin"]).stderr).toContain(
      `${reviewer} already has an account`,
    );
    expect(query<{ role: string }>(`SELECT role FROM staff WHERE email = '${reviewer}'`)).toEqual([
      { role: "reviewer" },
    ]);
  });
});

describe("npm run token", () => {
  it("creates a token for an owner; the token is the last line, shown once, stored only as its hash", () => {
    const out = ok("token", [
      "create",
      "--owner",
      coordinator,
      "--name",
      "sheet",
      "--scopes",
      "export,contact",
      "--expires-days",
      "30",
    ]);
    const token = out.trim().split("\n").at(-1) as string;
    expect(token).toMatch(/^dos_[A-Za-z0-9_-]{20,}$/);
    const [row] = query<{ token_hash: string; scopes: string; owner: string; expires_at: string }>(
      "SELECT t.token_hash, t.scopes, s.email AS owner, t.expires_at FROM api_tokens t JOIN staff s ON s.id = t.owner_id WHERE t.name = 'sheet'",
    );
    expect(row?.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row).toMatchObject({ scopes: "export,contact", owner: coordinator });
    const days = (Date.parse(row?.expires_at as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it("refuses a token without an owner, for an unknown owner, with an unknown scope, or beyond its owner's role", () => {
    for (const args of [
      ["create", "--name", "nobody", "--scopes", "export"],
      ["create", "--owner", "ghost@example.org", "--name", "ghost", "--scopes", "export"],
      ["create", "--owner", reviewer, "--name", "odd", "--scopes", "export,everything"],
      ["create", "--owner", reviewer, "--name", "peek", "--scopes", "export,contact"],
    ]) {
      const result = run("token", args);
      expect(result.status, args.join(" ")).toBe(2);
      if (args.includes("ghost")) expect(result.stderr).toContain("No active staff account for ghost@example.org");
      if (args.includes("peek")) expect(result.stderr).toContain("A reviewer's token cannot have: contact");
    }
    expect(query("SELECT name FROM api_tokens WHERE name IN ('nobody', 'ghost', 'odd', 'peek')")).toEqual([]);
    ok("token", ["create", "--owner", reviewer, "--name", "reviewer-sheet", "--scopes", "export,review"]);
  });

  it("lists tokens with their owner, and revokes by name", () => {
    ok("token", ["revoke", "--name", "sheet"]);
    const listed = ok("token", ["list"]);
    const sheet = listed.split("\n").find((line) => line.startsWith("sheet\t"));
    expect(sheet).toContain(coordinator);
    expect(sheet).toMatch(/expires 20\d\d-\d\d-\d\dT/);
    expect(sheet).toContain("REVOKED");
    expect(listed.split("\n").find((line) => line.startsWith("reviewer-sheet\t"))).not.toContain("REVOKED");
    expect(run("token", ["revoke", "--name", "sheet"]).status).toBe(2);
  });
});

describe("npm run staff (later)", () => {
  it("lists accounts and disables one, ending their sessions", () => {
    ok("staff", ["disable", "--email", reviewer]);
    const listed = ok("staff", ["list"]);
    expect(listed).toMatch(new RegExp(`^${reviewer}\\treviewer\\tdisabled `, "m"));
    expect(listed).toMatch(new RegExp(`^${coordinator}\\tcoordinator\\tactive$`, "m"));
  });
});
