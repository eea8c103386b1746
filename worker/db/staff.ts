import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiTokens, sessions, staff } from "./schema.ts";

export async function findActiveStaffByEmail(db: D1Database, email: string) {
  const [found] = await drizzle(db)
    .select()
    .from(staff)
    .where(and(eq(staff.email, email.trim().toLowerCase()), isNull(staff.disabledAt)));
  return found;
}

export async function insertSession(db: D1Database, idHash: string, staffId: string, now: string): Promise<void> {
  await drizzle(db).insert(sessions).values({ idHash, staffId, createdAt: now, lastSeenAt: now });
}

/** The session and its (still enabled) staff member. */
export async function findSession(db: D1Database, idHash: string) {
  const [found] = await drizzle(db)
    .select({
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      staffId: staff.id,
      email: staff.email,
      role: staff.role,
    })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(and(eq(sessions.idHash, idHash), isNull(staff.disabledAt)));
  return found;
}

export async function touchSession(db: D1Database, idHash: string, now: string): Promise<void> {
  await drizzle(db).update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: D1Database, idHash: string): Promise<void> {
  await drizzle(db).delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function findToken(db: D1Database, tokenHash: string) {
  const [found] = await drizzle(db).select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
  return found;
}

export async function touchToken(db: D1Database, id: string, now: string): Promise<void> {
  await drizzle(db).update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}
