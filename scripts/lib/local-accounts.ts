import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { currentTotp } from "../../worker/security/totp.ts";
import { ROOT } from "./wrangler.ts";

/**
 * The staff and token commands run against a local state directory, as an
 * operator would run them (for the benchmarks and the reliability suite).
 */
export async function runScript(stateDir: string, script: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", script, "--", ...args], {
      cwd: ROOT,
      env: { ...process.env, DOSSIER_STATE: stateDir },
      encoding: "utf8",
    });
    return stdout;
  } catch (error) {
    throw new Error(`npm run ${script} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

export interface LocalStaff {
  email: string;
  password: string;
  /** The TOTP secret `staff add` printed. */
  secret: string;
}

/** `npm run staff -- add` with a generated email; returns what it printed. */
export async function addStaff(
  stateDir: string,
  role: "reviewer" | "coordinator" | "admin",
  label: string,
): Promise<LocalStaff> {
  const email = `${label}-${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
  const password = `${label}-password-long-enough`;
  const out = await runScript(stateDir, "staff", ["add", "--email", email, "--role", role, "--password", password]);
  const secret = /Secret: (\S+)/.exec(out)?.[1];
  if (!secret) throw new Error("staff add printed no second factor");
  return { email, password, secret };
}

/** `npm run token -- create` for `owner`; the token is the last line printed. */
export async function createToken(stateDir: string, owner: string, scopes: string[], label: string): Promise<string> {
  const out = await runScript(stateDir, "token", [
    "create",
    "--owner",
    owner,
    "--name",
    `${label}-${Date.now()}`,
    "--scopes",
    scopes.join(","),
  ]);
  return out.trim().split("\n").at(-1) as string;
}

/** Signs in through /login as a browser would; returns the session cookie ("" when refused). */
export async function signIn(baseUrl: string, who: LocalStaff): Promise<string> {
  const login = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ email: who.email, password: who.password, code: currentTotp(who.secret) }),
  });
  return (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
