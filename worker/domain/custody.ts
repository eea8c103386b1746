import { sha256Hex } from "./encoding.ts";
import {
  canonicalJson,
  chain,
  type EventData,
  type FileHash,
  GENESIS_HASH,
  type LoggedEvent,
  verifyChain,
} from "./event-log.ts";
import { INITIAL_STEP } from "./workflow.ts";

export type { FileHash };

/**
 * Chain of custody: what the event log fixes about a recommendation's content
 * and files, and the checks that tell whether what is stored still matches.
 *
 * The content hash covers the whole submission as received, in two halves:
 * `content_sha256` is the SHA-256 of the canonical JSON `{ record,
 * sealed_sha256 }`, where `record` is the part stored in clear and
 * `sealed_sha256` the SHA-256 of the sealed part (contact details, safety
 * notes) together with a random salt that is sealed with them. So a packet
 * that leaves the contact details out can still be checked against the
 * content hash, and nobody who holds a packet (or the submitter's
 * fingerprint) can confirm a guess of who sent it: without the salt, a
 * guessed email address hashes to nothing they can compare.
 */

/** The first event's data. */
export interface Genesis {
  content_sha256: string;
  sealed_sha256: string;
  files: FileHash[];
}

/**
 * The first event of a recommendation's log, which follows from its D1 row
 * alone (when it arrived, and the hashes fixed at intake): so the object can
 * be opened late, and a check can tell whether the log still starts with it.
 */
export function firstEvent(createdAt: string, genesis: EventData | null): Promise<LoggedEvent> {
  return chain(
    {
      seq: 1,
      at: createdAt,
      actor: "submitter",
      action: "submit",
      from: null,
      to: INITIAL_STEP,
      comment: null,
      to_submitter: false,
      data: genesis,
    },
    GENESIS_HASH,
  );
}

export function sealedSha256(sealed: object): Promise<string> {
  return sha256Hex(canonicalJson(sealed));
}

export function contentSha256(record: unknown, sealedHash: string): Promise<string> {
  return sha256Hex(canonicalJson({ record, sealed_sha256: sealedHash }));
}

/**
 * What the log says the content and files are now: the latest content
 * hashes, every file any event added, and what a purge deleted (the sealed
 * fields; originals, by id), which is then checked by its hash alone.
 */
export interface Fixed {
  content_sha256: string | null;
  sealed_sha256: string | null;
  files: Map<string, string>;
  sealedPurged: boolean;
  purgedFiles: Set<string>;
}

export function fixedByLog(events: readonly LoggedEvent[]): Fixed {
  const fixed: Fixed = {
    content_sha256: null,
    sealed_sha256: null,
    files: new Map(),
    sealedPurged: false,
    purgedFiles: new Set(),
  };
  for (const { data } of events) {
    fixed.content_sha256 = data?.content_sha256 ?? fixed.content_sha256;
    fixed.sealed_sha256 = data?.sealed_sha256 ?? data?.purged?.sealed_sha256 ?? fixed.sealed_sha256;
    for (const f of data?.files ?? []) fixed.files.set(f.id, f.sha256);
    if (data?.purged) fixed.sealedPurged = true;
    for (const f of data?.purged?.files ?? []) fixed.purgedFiles.add(f.id);
  }
  return fixed;
}

export type Check = "chain" | "head" | "content" | "files";

/** One thing that does not hold, named for a person: which check, which event or file. */
export interface Problem {
  check: Check;
  message: string;
  seq?: number;
  file?: string;
}

export interface Head {
  seq: number;
  hash: string;
}

/**
 * The log recomputes, and it still reaches the head recorded elsewhere (D1):
 * a log cut short, or re-hashed from some event on, no longer does.
 */
export async function checkLog(events: readonly LoggedEvent[], recorded: Head | null): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (events.length === 0) return [{ check: "chain", message: "the log is empty" }];
  const broken = await verifyChain(events);
  if (broken !== null) {
    problems.push({ check: "chain", seq: broken, message: `event ${broken} does not fit the chain before it` });
  }
  if (!recorded) return problems;
  const atHead = events[recorded.seq - 1];
  if (!atHead) {
    problems.push({
      check: "head",
      seq: recorded.seq,
      message: `the log ends at event ${events.length}, but event ${recorded.seq} was recorded: events were removed`,
    });
  } else if (atHead.hash !== recorded.hash) {
    problems.push({
      check: "head",
      seq: recorded.seq,
      message: `event ${recorded.seq} is not the event that was recorded: the log was rewritten`,
    });
  }
  return problems;
}

/**
 * The stored content still hashes to what the log fixed. `sealedHash` is
 * null when the sealed part does not open; once purged, the sealed part is
 * taken by the hash the purge recorded.
 */
export async function checkContent(fixed: Fixed, record: unknown, sealedHash: string | null): Promise<Problem[]> {
  if (!fixed.content_sha256) return [];
  const problems: Problem[] = [];
  if (!fixed.sealedPurged) {
    if (sealedHash === null)
      return [{ check: "content", message: "the sealed fields do not open for this recommendation" }];
    if (fixed.sealed_sha256 && sealedHash !== fixed.sealed_sha256) {
      problems.push({
        check: "content",
        message: "the sealed fields (contact, safety notes) changed since they were fixed",
      });
    }
  }
  const recordHash = await contentSha256(record, fixed.sealed_sha256 ?? sealedHash ?? "");
  if (recordHash !== fixed.content_sha256) {
    problems.push({ check: "content", message: "the stored submission no longer hashes to its content_sha256" });
  }
  return problems;
}

/** Every file the log fixed is stored with that hash, and no stored file is missing from the log. */
export function checkFiles(fixed: Fixed, stored: readonly FileHash[]): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(stored.map((f) => [f.id, f.sha256]));
  for (const [id, sha256] of fixed.files) {
    const found = byId.get(id);
    if (found === undefined) problems.push({ check: "files", file: id, message: `file ${id} is missing` });
    else if (found !== sha256) problems.push({ check: "files", file: id, message: `file ${id} has another hash` });
  }
  // Files stored before the log recorded files (no genesis files at all) are not judged.
  if (fixed.content_sha256) {
    for (const { id } of stored) {
      if (!fixed.files.has(id)) problems.push({ check: "files", file: id, message: `file ${id} is not in the log` });
    }
  }
  return problems;
}
