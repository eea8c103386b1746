import type { Context } from "hono";
import type { Viewer } from "../domain/access.ts";
import type { AppEnv } from "../env.ts";

/** The signed-in staff member or the verified token of this request, as domain/access.ts judges them. */
export function viewerOf(c: Context<AppEnv>): Viewer {
  const staff = c.get("staff");
  if (staff) return { kind: "staff", role: staff.role };
  const token = c.get("token");
  return { kind: "token", scopes: token?.scopes ?? new Set(), ownerRole: token?.owner?.role ?? null };
}

/** Who is asking, as the audit log names them: a staff member's email, or a token's name and its owner. */
export function actorLabel(c: Context<AppEnv>): string {
  const staff = c.get("staff");
  if (staff) return staff.email;
  const token = c.get("token");
  if (!token) return "unknown";
  return token.owner ? `token ${token.name} (${token.owner.email})` : `token ${token.name}`;
}
