import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiTokens, sessions, staff } from "./schema.ts";

export async function findActiveStaffByEmail(db: D1Database, email: string) {
  const [found] = await drizzle(db)
    .select()
    .from(staff)
    .where(and(eq(staff.email, email.trim().toLowerCase()), isNull(staff.disabledAt)));
  return found;
}

/** A new session for `staffId`, ending every other session of theirs in the same batch: one signed-in place at a time. */
export async function replaceSessions(db: D1Database, idHash: string, staffId: string, now: string): Promise<void> {
  const orm = drizzle(db);
  await orm.batch([
    orm.delete(sessions).where(eq(sessions.staffId, staffId)),
    orm.insert(sessions).values({ idHash, staffId, createdAt: now, lastSeenAt: now }),
  ]);
}

/** Ends every session of a staff member ("sign out everywhere"). */
export async function deleteSessionsOf(db: D1Database, staffId: string): Promise<void> {
  await drizzle(db).delete(sessions).where(eq(sessions.staffId, staffId));
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
      locale: staff.locale,
      mail: staff.mail,
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

/** Sessions past their limits (idle since `idleBefore`, or begun before `begunBefore`): nobody can use them any more. */
export async function deleteEndedSessions(db: D1Database, idleBefore: string, begunBefore: string): Promise<void> {
  await drizzle(db)
    .delete(sessions)
    .where(or(lt(sessions.lastSeenAt, idleBefore), lt(sessions.createdAt, begunBefore)));
}

/** A token by its hash, with its owner (null for tokens made before owners existed, or when the owner is disabled). */
export async function findToken(db: D1Database, tokenHash: string) {
  const [found] = await drizzle(db)
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      ownerId: apiTokens.ownerId,
      owner: { id: staff.id, email: staff.email, role: staff.role, disabledAt: staff.disabledAt },
    })
    .from(apiTokens)
    .leftJoin(staff, eq(staff.id, apiTokens.ownerId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return found;
}

export async function touchToken(db: D1Database, id: string, now: string): Promise<void> {
  await drizzle(db).update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

/** Everyone who can be assigned a recommendation. */
export async function listActiveStaff(db: D1Database) {
  return drizzle(db)
    .select({ id: staff.id, email: staff.email, role: staff.role })
    .from(staff)
    .where(isNull(staff.disabledAt))
    .orderBy(staff.email);
}

/** An active staff member by id or by email (the API accepts either for `assignee`). */
export async function findActiveStaff(db: D1Database, idOrEmail: string) {
  const key = idOrEmail.trim().toLowerCase();
  const [found] = await drizzle(db)
    .select({ id: staff.id, email: staff.email, role: staff.role })
    .from(staff)
    .where(and(isNull(staff.disabledAt), or(eq(staff.id, idOrEmail.trim()), eq(staff.email, key))));
  return found;
}

/** Every API token (never the token itself: only its hash is stored), newest first. */
export async function listTokens(db: D1Database) {
  return drizzle(db)
    .select({
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(desc(apiTokens.createdAt));
}

/**
 * Records the TOTP step just used; false when another sign-in took that step
 * (or a later one) first, so a code works once.
 */
export async function markTotpUsed(db: D1Database, id: string, step: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE staff SET totp_last_step = ?2 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)")
    .bind(id, step)
    .run();
  return result.meta.changes === 1;
}

/** A staff member's own choices: the language of their pages and mails, and whether they get mail. */
export async function saveStaffSettings(db: D1Database, id: string, settings: { locale: string; mail: boolean }) {
  await drizzle(db).update(staff).set(settings).where(eq(staff.id, id));
}
