import { sha256Hex } from "./encoding.ts";
import type { Filing, FilingOutcome } from "./filings.ts";

/**
 * The hash-chained event log of a recommendation. Each event's hash covers the
 * previous hash and the event itself, so editing or dropping any stored event
 * breaks every hash after it.
 */

export interface EventBody {
  seq: number;
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string;
  comment: string | null;
  /** Whether the submitter sees this event's comment on their status page. */
  to_submitter: boolean;
  /**
   * What the event fixed about the content: the hashes of the submission and
   * its files (the first event), of files added later, of a file released.
   * Null when there is nothing; then it is left out of the hash, as it was
   * before events carried data, so logs written then still verify.
   */
  data: EventData | null;
}

/** A file as the log fixes it: its id and the SHA-256 of its bytes as submitted. */
export interface FileHash {
  id: string;
  sha256: string;
}

/** The hashes an event fixes (domain/custody.ts says what each means). */
export interface EventData {
  /** The content as it is from this event on (the first event; a correction). */
  content_sha256?: string;
  sealed_sha256?: string;
  /** The content a correction replaced. */
  previous_content_sha256?: string;
  /** Files this event added. */
  files?: FileHash[];
  /** A file a coordinator let reviewers have with its metadata. */
  released?: FileHash;
  /** The same target as a listed entity or another recommendation's target (a reviewer's decision on screening). */
  linked?: { target: number; source: "list" | "recommendation"; id: string; other_target?: number };
  /** A filing with a government, as recorded. */
  filing?: Filing;
  /** What a government did with a filing. */
  outcome?: FilingOutcome & { filing: string };
  /**
   * What a purge deleted (domain/retention.ts): the sealed fields, whose hash
   * the content hash still covers, and the original files, by their hashes.
   */
  purged?: { reason: "retention" | "erasure"; sealed_sha256: string | null; files: FileHash[] };
}

export interface LoggedEvent extends EventBody {
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * JSON with object keys sorted and no whitespace (RFC 8785 for the values we
 * log); like JSON.stringify, object members that are undefined are left out.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export async function hashEvent(event: Omit<LoggedEvent, "hash">): Promise<string> {
  const { data, ...rest } = event;
  return linkHash(event.prev_hash, data === null ? rest : event);
}

/** The hash of one link of a chain: the previous hash, then the entry's canonical JSON. */
export function linkHash(prevHash: string, entry: object): Promise<string> {
  return sha256Hex(prevHash + canonicalJson(entry));
}

/** Seals `body` onto the chain whose last hash is `prevHash`. */
export async function chain(body: EventBody, prevHash: string): Promise<LoggedEvent> {
  const unsealed = { ...body, prev_hash: prevHash };
  return { ...unsealed, hash: await hashEvent(unsealed) };
}

/** Recomputes the chain; returns the seq of the first event that does not fit, or null when all do. */
export function verifyChain(events: readonly LoggedEvent[]): Promise<number | null> {
  return verifyLinks(events, hashEvent);
}

/**
 * Recomputes any chain of entries numbered from 1, each holding the previous
 * entry's hash: the seq of the first that does not fit (edited, missing,
 * out of place), or null when all do.
 */
export async function verifyLinks<T extends { seq: number; prev_hash: string; hash: string }>(
  entries: readonly T[],
  hashOf: (entry: Omit<T, "hash">) => Promise<string>,
  from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): Promise<number | null> {
  let prev = from.hash;
  for (const [index, entry] of entries.entries()) {
    const { hash, ...rest } = entry;
    if (entry.seq !== from.seq + index + 1 || entry.prev_hash !== prev || (await hashOf(rest)) !== hash) {
      return entry.seq;
    }
    prev = hash;
  }
  return null;
}
