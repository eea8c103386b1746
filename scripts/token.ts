/**
 * `npm run token -- create --name N --scopes export[,contact,originals,review] [--expires-days D] [--remote]`
 * `npm run token -- list [--remote]`, `npm run token -- revoke --name N [--remote]`
 * The token itself is the last line `create` prints, shown once; only its hash is stored.
 */
import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "../worker/db/schema.ts";
import { SCOPES } from "../worker/domain/scopes.ts";
import { newSecret, secretHash } from "../worker/security/secrets.ts";
import { commandLine, fail } from "./lib/args.ts";
import { builder, execute, migrate } from "./lib/d1.ts";

const { command, values } = commandLine({
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
    const now = new Date();
    const token = newSecret("dos");
    execute(
      builder.insert(apiTokens).values({
        id: crypto.randomUUID(),
        name,
        tokenHash: await secretHash(token),
        scopes: scopes.join(","),
        createdAt: now.toISOString(),
        expiresAt: days ? new Date(now.getTime() + days * 86_400_000).toISOString() : null,
      }),
      target,
    );
    console.log(`Created token "${name}" with scopes ${scopes.join(", ")}${days ? `, expiring in ${days} days` : ""}.`);
    console.log("Store it now; it is not shown again:");
    console.log(token);
    break;
  }
  case "list": {
    const rows = execute<Record<string, string | null>>(
      builder
        .select({
          name: apiTokens.name,
          scopes: apiTokens.scopes,
          expires: apiTokens.expiresAt,
          last_used: apiTokens.lastUsedAt,
          revoked: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .orderBy(apiTokens.createdAt),
      target,
    );
    for (const r of rows) {
      console.log(
        `${r.name}\t${r.scopes}\texpires ${r.expires ?? "never"}\tlast used ${r.last_used ?? "never"}${r.revoked ? "\tREVOKED" : ""}`,
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
    fail("usage: npm run token -- create|list|revoke [--name N] [--scopes S] [--expires-days D] [--remote]");
}
