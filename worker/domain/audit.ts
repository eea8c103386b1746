import { GENESIS_HASH, linkHash, verifyLinks } from "./event-log.ts";

/**
 * The audit log: who read what. Every file download, export and packet is an
 * entry (and every backup and restore of the whole), and the entries form a hash chain as a recommendation's events do,
 * so an entry cannot be dropped or edited without breaking every hash after it.
 */

export const AUDIT_ACTIONS = ["download", "export", "packet", "backup", "restore"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What was read, beyond who and when: filters and rows of an export, the file and variant of a download. Never a sealed value. */
export type AuditDetails = { [key: string]: string | number | boolean | null | string[] | AuditDetails };

export interface AuditBody {
  at: string;
  /** A staff member's email, or a token's name and its owner's email. */
  actor: string;
  action: AuditAction;
  /** A recommendation id, or `recommendations` for an export. */
  subject: string;
  details: AuditDetails;
}

export interface AuditEntry extends AuditBody {
  seq: number;
  prev_hash: string;
  hash: string;
}

export function hashAudit(entry: Omit<AuditEntry, "hash">): Promise<string> {
  return linkHash(entry.prev_hash, entry);
}

/** The entry that follows `head` (null: the first entry of the log). */
export async function nextAudit(body: AuditBody, head: { seq: number; hash: string } | null): Promise<AuditEntry> {
  const unsealed = { ...body, seq: (head?.seq ?? 0) + 1, prev_hash: head?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: await hashAudit(unsealed) };
}

/** The seq of the first entry that does not fit, or null; `from` is the entry before the first given (a page). */
export function verifyAudit(
  entries: readonly AuditEntry[],
  from?: { seq: number; hash: string },
): Promise<number | null> {
  return verifyLinks(entries, hashAudit, from);
}
