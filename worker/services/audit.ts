import { appendAudit, listAudit } from "../db/audit.ts";
import { type AuditBody, verifyAudit } from "../domain/audit.ts";

/** Records one read (a download, an export, a packet) in the audit log, now. */
export async function recordAccess(env: Env, entry: Omit<AuditBody, "at">): Promise<void> {
  await appendAudit(env.DB, { ...entry, at: new Date().toISOString() });
}

const PAGE = 1000;

/** Recomputes the whole audit log a page at a time: how many entries, and the first that does not fit. */
export async function verifyAuditLog(env: Env): Promise<{ entries: number; brokenAt: number | null }> {
  let last = undefined as { seq: number; hash: string } | undefined;
  let entries = 0;
  for (;;) {
    const page = await listAudit(env.DB, last?.seq ?? 0, PAGE);
    const brokenAt = await verifyAudit(page, last);
    entries += page.length;
    if (brokenAt !== null) return { entries, brokenAt };
    const end = page.at(-1);
    if (!end || page.length < PAGE) return { entries, brokenAt: null };
    last = { seq: end.seq, hash: end.hash };
  }
}
