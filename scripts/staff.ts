/**
 * `npm run staff -- add --email E --role reviewer|coordinator|admin [--password P] [--remote]`
 * `npm run staff -- totp --email E [--remote]` (a new second factor)
 * `npm run staff -- list [--remote]`
 * `npm run staff -- disable --email E [--remote]`
 * Every account gets a TOTP secret at `add`; it is sealed with DATA_KEY
 * (from .dev.vars locally; for --remote, set DATA_KEY in the environment).
 */
import { eq } from "drizzle-orm";
import { sessions, staff } from "../worker/db/schema.ts";
import { ROLES, type Role } from "../worker/domain/workflow.ts";
import { importDataKey, seal, staffContext } from "../worker/security/crypto.ts";
import { generatePassword, hashPassword } from "../worker/security/password.ts";
import { newTotpSecret, totpUri } from "../worker/security/totp.ts";
import { commandLine, fail } from "./lib/args.ts";
import { builder, execute, migrate } from "./lib/d1.ts";
import { ensureLocalKeys, readDataKey } from "./lib/dev-vars.ts";

const { command, values } = commandLine({
  email: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
  remote: { type: "boolean" },
});
const target = { remote: values.remote ?? false };
const email = values.email?.trim().toLowerCase();

if (!target.remote) {
  migrate(target);
  ensureLocalKeys();
}

/** A new TOTP secret, sealed for storage, and what to show the person once. */
async function enrol(id: string, email: string): Promise<{ sealed: string; show: string }> {
  const key = readDataKey();
  if (!key)
    fail(
      "DATA_KEY is needed to seal the second factor: set it in the environment (the same value as the Worker's secret)",
    );
  const secret = newTotpSecret();
  return {
    sealed: await seal(await importDataKey(key), secret, staffContext(id)),
    show: `Second factor (shown once): add it to an authenticator app\nSecret: ${secret}\nURI: ${totpUri(secret, email)}`,
  };
}

switch (command) {
  case "add": {
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) fail("--email is required and must be an email address");
    const role = values.role as Role;
    if (!ROLES.includes(role)) fail(`--role must be one of: ${ROLES.join(", ")}`);
    if (values.password !== undefined && values.password.length < 12) fail("--password must be at least 12 characters");
    const password = values.password ?? generatePassword();
    // Every role signs in with a second factor (or through Cloudflare Access).
    const id = crypto.randomUUID();
    const factor = await enrol(id, email);
    // One statement (each is a wrangler run of seconds): an email already taken inserts nothing.
    const added = execute(
      builder
        .insert(staff)
        .values({
          id,
          email,
          role,
          passwordHash: await hashPassword(password),
          totpSecret: factor.sealed,
          createdAt: new Date().toISOString(),
        })
        .onConflictDoNothing({ target: staff.email })
        .returning({ id: staff.id }),
      target,
    );
    if (added.length === 0) fail(`${email} already has an account`);
    console.log(`Added ${role} ${email}`);
    console.log(factor.show);
    if (!values.password) console.log(`Password (shown once): ${password}`);
    break;
  }
  case "totp": {
    if (!email) fail("--email is required");
    const [member] = execute<{ id: string }>(
      builder.select({ id: staff.id }).from(staff).where(eq(staff.email, email)),
      target,
    );
    if (!member) fail(`No account for ${email}`);
    const factor = await enrol(member.id, email);
    execute(
      builder.update(staff).set({ totpSecret: factor.sealed, totpLastStep: null }).where(eq(staff.id, member.id)),
      target,
    );
    console.log(`New second factor for ${email}; the old one no longer works.`);
    console.log(factor.show);
    break;
  }
  case "list": {
    const rows = execute<{ email: string; role: string; created_at: string; disabled_at: string | null }>(
      builder
        .select({ email: staff.email, role: staff.role, created_at: staff.createdAt, disabled_at: staff.disabledAt })
        .from(staff)
        .orderBy(staff.email),
      target,
    );
    for (const r of rows)
      console.log(`${r.email}\t${r.role}\t${r.disabled_at ? `disabled ${r.disabled_at}` : "active"}`);
    if (rows.length === 0) console.log("No staff yet: npm run staff -- add --email E --role reviewer");
    break;
  }
  case "disable": {
    if (!email) fail("--email is required");
    const [member] = execute<{ id: string }>(
      builder.select({ id: staff.id }).from(staff).where(eq(staff.email, email)),
      target,
    );
    if (!member) fail(`No account for ${email}`);
    execute(builder.update(staff).set({ disabledAt: new Date().toISOString() }).where(eq(staff.id, member.id)), target);
    // A disabled account must lose its open sessions at once, not when they time out.
    execute(builder.delete(sessions).where(eq(sessions.staffId, member.id)), target);
    console.log(`Disabled ${email}; their sessions are ended`);
    break;
  }
  default:
    fail("usage: npm run staff -- add|totp|list|disable [--email E] [--role R] [--password P] [--remote]");
}
