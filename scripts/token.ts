/**
 * `npm run token -- create --owner EMAIL --name N --scopes export[,contact,originals,review] [--expires-days D] [--remote]`
 * `npm run token -- list [--remote]`, `npm run token -- revoke --name N [--remote]`
 * A token belongs to a staff member and acts as them (with their role). The
 * token itself is the last line `create` prints, shown once; only its hash is stored.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { apiTokens, staff } from "../worker/db/schema.ts";
import { grantableScopes, SCOPES } from "../worker/domain/scopes.ts";
import { ROLES, type Role } from "../worker/domain/workflow.ts";
import { newSecret, secretHash } from "../worker/security/secrets.ts";
import { commandLine, fail } from "./lib/args.ts";
import { builder, execute, migrate } from "./lib/d1.ts";

const { command, values } = commandLine({
  owner: { type: "string" },
  name: { type: "string" },
  scopes: { type: "string" },
  "expires-days": { type: "string" },
  remote: { type: "boolean" },
});
const target = { remote: values.remote ?? false };
const name = values.name?.trim();

if (!target.remote) migrate(target);

switch (command) {
  case "create": {
    if (!name) fail("--name is required");
    const scopes = (values.scopes ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0)
      fail(`--scopes must be a comma-separated list of: ${SCOPES.join(", ")}`);
    const days = values["expires-days"] === undefined ? undefined : Number(values["expires-days"]);
    if (days !== undefined && !(Number.isInteger(days) && days > 0))
      fail("--expires-days must be a whole number of days");
    const ownerEmail = values.owner?.trim().toLowerCase();
    if (!ownerEmail) fail("--owner is required: the email of the staff member the token acts as");
    const now = new Date();
    const token = newSecret("dos");
    // One statement (each is a wrangler run of seconds): the token is made only for an active
    // owner whose role may grant every scope asked for; the owner is looked up only to say why not.
    const roles = ROLES.filter((role) => scopes.every((s) => (grantableScopes(role) as string[]).includes(s)));
    const active = and(eq(staff.email, ownerEmail), isNull(staff.disabledAt));
    const made = execute(
      builder
        .insert(apiTokens)
        .select(
          builder
            .select({
              // Every column of the table, in its order, as drizzle's INSERT … SELECT asks.
              id: sql`${crypto.randomUUID()}`.as("id"),
              name: sql`${name}`.as("name"),
              ownerId: staff.id,
              tokenHash: sql`${await secretHash(token)}`.as("token_hash"),
              scopes: sql`${scopes.join(",")}`.as("scopes"),
              createdAt: sql`${now.toISOString()}`.as("created_at"),
              expiresAt: sql`${days ? new Date(now.getTime() + days * 86_400_000).toISOString() : null}`.as(
                "expires_at",
              ),
              lastUsedAt: sql`NULL`.as("last_used_at"),
              revokedAt: sql`NULL`.as("revoked_at"),
            })
            .from(staff)
            .where(and(active, inArray(staff.role, roles))),
        )
        .returning({ id: apiTokens.id }),
      target,
    );
    if (made.length === 0) {
      const [owner] = execute<{ role: Role }>(builder.select({ role: staff.role }).from(staff).where(active), target);
      if (!owner) fail(`No active staff account for ${ownerEmail} (npm run staff -- add first)`);
      const allowed = grantableScopes(owner.role);
      const beyond = scopes.filter((s) => !(allowed as string[]).includes(s));
      fail(`A ${owner.role}'s token cannot have: ${beyond.join(", ")} (allowed: ${allowed.join(", ")})`);
    }
    console.log(
      `Created token "${name}" for ${ownerEmail} with scopes ${scopes.join(", ")}${days ? `, expiring in ${days} days` : ""}.`,
    );
    console.log("Store it now; it is not shown again:");
    console.log(token);
    break;
  }
  case "list": {
    // wrangler returns rows keyed by column name, so the rows are read by those names.
    const rows = execute<Record<string, string | null>>(
      builder
        .select({
          name: apiTokens.name,
          email: staff.email,
          scopes: apiTokens.scopes,
          expires_at: apiTokens.expiresAt,
          last_used_at: apiTokens.lastUsedAt,
          revoked_at: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .leftJoin(staff, eq(staff.id, apiTokens.ownerId))
        .orderBy(apiTokens.createdAt),
      target,
    );
    for (const r of rows) {
      const owner = r.email ?? "no owner: cannot act";
      const used = r.last_used_at ?? "never";
      console.log(
        `${r.name}\t${owner}\t${r.scopes}\texpires ${r.expires_at ?? "never"}\tlast used ${used}${r.revoked_at ? "\tREVOKED" : ""}`,
      );
    }
    break;
  }
  case "revoke": {
    if (!name) fail("--name is required");
    const live = and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt));
    const found = execute(builder.select({ id: apiTokens.id }).from(apiTokens).where(live), target);
    if (found.length === 0) fail(`No live token named "${name}"`);
    execute(builder.update(apiTokens).set({ revokedAt: new Date().toISOString() }).where(live), target);
    console.log(`Revoked ${found.length} token(s) named "${name}"`);
    break;
  }
  default:
    fail(
      "usage: npm run token -- create --owner EMAIL --name N --scopes S [--expires-days D] | list | revoke --name N [--remote]",
    );
}
