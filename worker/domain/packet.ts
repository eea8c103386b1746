import { checkLog, contentSha256, fixedByLog, type Head } from "./custody.ts";
import { fromBase64 } from "./encoding.ts";
import type { LoggedEvent } from "./event-log.ts";

/**
 * A packet: one recommendation as a ZIP that travels on its own (to a
 * government, a court, a lawyer) and can be checked offline by anyone with
 * the coalition's public key. What it holds:
 *
 * - `recommendation.json`: the submission as stored in clear (never the
 *   sealed contact details or safety notes), with its id and reference;
 * - `events.json`: the whole hash-chained event log;
 * - `files/…`: the evidence (metadata-free copies, or the originals);
 * - `manifest.json`: the SHA-256 and size of every other entry, the log's
 *   head, the content hash, the key id and the time it was made;
 * - `manifest.sig`: the Ed25519 signature of manifest.json's exact bytes
 *   (base64url), and `signing-key.json`, the public key that made it.
 */

export const PACKET_FORMAT = "dossier-packet/1";
export const MANIFEST = "manifest.json";
export const SIGNATURE = "manifest.sig";
export const KEY_FILE = "signing-key.json";

export interface PacketEntry {
  path: string;
  sha256: string;
  size: number;
  /** For evidence: the file's id in the log, and whether this is the original or its metadata-free copy. */
  file?: { id: string; copy: "original" | "clean" };
}

export interface PacketManifest {
  format: typeof PACKET_FORMAT;
  recommendation: { id: string; reference: string };
  head: Head;
  content_sha256: string | null;
  files: PacketEntry[];
  /** Files of the log left out of this packet, and why (a file that keeps its metadata, for someone not trusted with it). */
  withheld: { id: string; reason: string }[];
  generated_at: string;
  kid: string;
  /**
   * A packet for one government (`packet.zip?programme=P`): the submission
   * document and the evidence its sources let governments have. The record
   * and the log stay with the coalition; the manifest names their head and
   * content hash.
   */
  programme?: string;
}

/** `recommendation.json`: what the packet carries of the submission. */
export interface PacketRecommendation {
  id: string;
  reference: string;
  created_at: string;
  language: string;
  record: unknown;
}

/** The path of evidence file number `index` (from 1) in the ZIP: numbered, so two files of one name never collide. */
export function evidencePath(index: number, safeName: string): string {
  return `files/${String(index).padStart(2, "0")}-${safeName}`;
}

export interface PublicKeyJwk {
  kty: string;
  crv: string;
  x: string;
  kid?: string;
}

/** What was checked, and what failed, in words a person reads. */
export interface PacketReport {
  ok: boolean;
  checked: string[];
  failures: string[];
}

/**
 * Checks a packet from what was read out of it: every entry's SHA-256 and
 * size (`entries`, keyed by path), the manifest's exact bytes, its
 * signature, and the JSON of the recommendation and the log. `keys` are the
 * public keys to trust; the one whose kid the manifest names must have signed it.
 */
export async function checkPacket(input: {
  entries: ReadonlyMap<string, { sha256: string; size: number }>;
  manifestBytes: Uint8Array<ArrayBuffer>;
  signature: string;
  /** The record and the log: absent from a packet for a government. */
  recommendation?: PacketRecommendation;
  events?: LoggedEvent[];
  keys: readonly PublicKeyJwk[];
}): Promise<PacketReport> {
  const checked: string[] = [];
  const failures: string[] = [];
  const manifest = JSON.parse(new TextDecoder().decode(input.manifestBytes)) as PacketManifest;

  // A lone key without an id (a hand-made key file) is the one meant; otherwise ids must match.
  const lone = input.keys.length === 1 && !input.keys[0]?.kid ? input.keys[0] : undefined;
  const key = input.keys.find((k) => k.kid === manifest.kid) ?? lone;
  if (!key) failures.push(`no trusted key has the id ${manifest.kid}`);
  else if (!(await signatureHolds(key, input.manifestBytes, input.signature))) {
    failures.push("the signature of manifest.json does not hold: the manifest was altered or signed by another key");
  } else checked.push(`signature of manifest.json by key ${manifest.kid}`);

  for (const entry of manifest.files) {
    const found = input.entries.get(entry.path);
    if (!found) failures.push(`${entry.path} is missing from the packet`);
    else if (found.sha256 !== entry.sha256 || found.size !== entry.size) {
      failures.push(`${entry.path} is not the file the manifest lists (SHA-256 or size differs)`);
    }
  }
  const listed = new Set([...manifest.files.map((f) => f.path), MANIFEST, SIGNATURE, KEY_FILE]);
  for (const path of input.entries.keys()) {
    if (!listed.has(path)) failures.push(`${path} is in the packet but not in the manifest`);
  }
  checked.push(`SHA-256 and size of ${manifest.files.length} entries`);

  if (!input.recommendation || !input.events) {
    if (!manifest.programme) failures.push("recommendation.json or events.json is missing from the packet");
    else {
      checked.push(
        `a packet for ${manifest.programme}: the record and the event log stay with the coalition; the signed manifest names the log's head (event ${manifest.head.seq}, ${manifest.head.hash}) and the content hash ${manifest.content_sha256}, which the coalition's own packet proves`,
      );
    }
    return { ok: failures.length === 0, checked, failures };
  }

  const recorded = manifest.head;
  const logProblems = await checkLog(input.events, recorded);
  if (input.events.length !== recorded.seq) logProblems.push({ check: "head", message: "the log goes past its head" });
  for (const p of logProblems) failures.push(`event log: ${p.message}`);
  if (logProblems.length === 0) checked.push(`event log of ${input.events.length} events up to its head`);

  const fixed = fixedByLog(input.events);
  if (fixed.content_sha256 !== manifest.content_sha256) {
    failures.push("the manifest's content_sha256 is not the one the event log fixed");
  }
  if (fixed.content_sha256 && fixed.sealed_sha256) {
    const recomputed = await contentSha256(input.recommendation.record, fixed.sealed_sha256);
    if (recomputed !== fixed.content_sha256) {
      failures.push("recommendation.json no longer hashes to the content_sha256 the log fixed");
    } else checked.push(`content of recommendation.json against content_sha256 ${fixed.content_sha256}`);
  }
  if (input.recommendation.id !== manifest.recommendation.id) {
    failures.push("recommendation.json is about another recommendation than the manifest");
  }

  const carried = new Set<string>();
  for (const entry of manifest.files) {
    if (!entry.file) continue;
    carried.add(entry.file.id);
    const logged = fixed.files.get(entry.file.id);
    if (!logged) failures.push(`${entry.path} is not a file of the event log`);
    else if (entry.file.copy === "original" && logged !== entry.sha256) {
      failures.push(`${entry.path} is not the original the event log fixed`);
    }
  }
  const withheld = new Set(manifest.withheld.map((w) => w.id));
  for (const id of fixed.files.keys()) {
    if (!carried.has(id) && !withheld.has(id)) failures.push(`file ${id} of the event log is missing from the packet`);
  }
  checked.push(`${carried.size} evidence files against the event log (${withheld.size} withheld)`);

  return { ok: failures.length === 0, checked, failures };
}

async function signatureHolds(key: PublicKeyJwk, bytes: Uint8Array<ArrayBuffer>, signature: string): Promise<boolean> {
  try {
    const publicKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: key.x }, "Ed25519", false, [
      "verify",
    ]);
    return await crypto.subtle.verify("Ed25519", publicKey, fromBase64(signature), bytes);
  } catch {
    return false;
  }
}
