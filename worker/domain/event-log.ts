import { sha256Hex } from "./encoding.ts";

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
  return sha256Hex(event.prev_hash + canonicalJson({ ...event }));
}

/** Seals `body` onto the chain whose last hash is `prevHash`. */
export async function chain(body: EventBody, prevHash: string): Promise<LoggedEvent> {
  const unsealed = { ...body, prev_hash: prevHash };
  return { ...unsealed, hash: await hashEvent(unsealed) };
}

/** Recomputes the chain; returns the seq of the first event that does not fit, or null when all do. */
export async function verifyChain(events: readonly LoggedEvent[]): Promise<number | null> {
  let prev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const { hash, ...rest } = event;
    if (event.seq !== index + 1 || event.prev_hash !== prev || (await hashEvent(rest)) !== hash) {
      return event.seq;
    }
    prev = hash;
  }
  return null;
}
