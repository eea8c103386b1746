import { makeZip } from "client-zip";
import { type AttachmentRow, listAttachments } from "../db/attachments.ts";
import { filingsOf } from "../db/filings.ts";
import { findById } from "../db/recommendations.ts";
import { fixedByLog } from "../domain/custody.ts";
import { toHex } from "../domain/encoding.ts";
import type { Programme } from "../domain/filings.ts";
import {
  evidencePath,
  KEY_FILE,
  MANIFEST,
  PACKET_FORMAT,
  type PacketEntry,
  type PacketManifest,
  type PacketRecommendation,
  SIGNATURE,
} from "../domain/packet.ts";
import { type OpenRecord, readRecord } from "../domain/sensitive.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import { safeFilename } from "../files/sniff.ts";
import { publicSigningKey, sign } from "../security/signing.ts";
import { hashing, readSealed, verifying } from "./download.ts";
import { packetKey } from "./filings.ts";
import { buildSubmissionDocx } from "./submission-docx.ts";

export type PacketVariant = "default" | "original";

export interface Packet {
  reference: string;
  /** How many evidence files it carries, and how many it leaves out. */
  files: number;
  withheld: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * A recommendation as a signed ZIP (domain/packet.ts says what is in it),
 * streamed: each file goes from storage through decryption and hashing into
 * the ZIP a chunk at a time, and the manifest, which needs every hash, is
 * written last. So a packet of hundreds of megabytes never sits in memory.
 * `original`: the files exactly as submitted (the route checks that right);
 * otherwise the metadata-free copies, and files that keep their metadata only
 * for someone `trusted` with them (or once released), else withheld.
 */
export async function buildPacket(
  env: Env,
  id: string,
  variant: PacketVariant,
  trusted: boolean,
  programme?: Programme,
): Promise<Packet | null> {
  const row = await findById(env.DB, id);
  if (!row) return null;
  const object = recommendationObject(env, id);
  await object.open(openingOf(row));
  const [events, files, key] = await Promise.all([
    object.events(),
    listAttachments(env.DB, row.seq),
    publicSigningKey(env),
  ]);
  const last = events.at(-1);
  if (!last) throw new Error("a recommendation without events");
  const head = { seq: last.seq, hash: last.hash };
  const { reference, createdAt } = row;
  const recommendation: PacketRecommendation = {
    id: row.id,
    reference: row.reference,
    created_at: row.createdAt,
    language: row.language,
    record: JSON.parse(row.record),
  };
  // For a government: only files of evidence items whose source let governments have them.
  const shared = programme ? governmentFiles(readRecord(row.record)) : null;
  const withheld: { id: string; reason: string }[] = [];
  const carried = files.filter((f) => {
    if (shared && !shared.has(f.id)) withheld.push({ id: f.id, reason: "not_for_governments" });
    // The retention period (or an erasure) deleted what this packet would carry: the original, and a clean copy if any stays.
    else if (f.purgedAt && (variant === "original" || !f.cleanKey)) withheld.push({ id: f.id, reason: "purged" });
    else if (variant === "original" || f.cleaned || f.releasedAt || trusted) return true;
    else withheld.push({ id: f.id, reason: "keeps_metadata" });
    return false;
  });
  const entries: PacketEntry[] = [];
  const document = programme ? await submissionFor(env, id, programme) : null;
  if (programme && !document) throw new Error("no submission document for a recommendation that exists");

  async function* inputs() {
    // A government gets the submission document, not the record and the log (they stay with the coalition).
    const texts: [string, string | ArrayBuffer][] = document
      ? [["submission.docx", document]]
      : [
          ["recommendation.json", `${JSON.stringify(recommendation, null, 2)}\n`],
          ["events.json", `${JSON.stringify(events, null, 2)}\n`],
        ];
    for (const [path, content] of texts) {
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
      entries.push({
        path,
        sha256: toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))),
        size: bytes.byteLength,
      });
      yield { name: path, input: bytes, lastModified: new Date(createdAt) };
    }
    for (const [index, file] of carried.entries()) {
      yield await evidence(env, file, index + 1, variant, entries);
    }
    const manifest: PacketManifest = {
      format: PACKET_FORMAT,
      recommendation: { id, reference },
      head,
      content_sha256: fixedByLog(events).content_sha256,
      files: entries,
      withheld,
      generated_at: new Date().toISOString(),
      kid: key.kid,
      ...(programme ? { programme } : {}),
    };
    const bytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    const { signature } = await sign(env, bytes);
    yield { name: MANIFEST, input: bytes };
    yield { name: SIGNATURE, input: `${signature}\n` };
    yield { name: KEY_FILE, input: `${JSON.stringify(key, null, 2)}\n` };
  }

  return { reference, files: carried.length, withheld: withheld.length, body: makeZip(inputs()) };
}

/** The ids of files attached to evidence items whose consent allows governments. */
function governmentFiles(record: OpenRecord): Set<string> {
  return new Set(record.evidence.items.filter((item) => item.consent.governments).flatMap((item) => item.attachments));
}

/**
 * The submission document for a government: the one kept with the latest
 * filing under the programme that made one (so the packet carries what the
 * filing's SHA-256 names), else one made now.
 */
async function submissionFor(env: Env, id: string, programme: Programme): Promise<ArrayBuffer | null> {
  const filed = (await filingsOf(env.DB, id)).filter((f) => f.programme === programme && f.packet_sha256).at(-1);
  const kept = filed ? await env.FILES.get(packetKey(id, filed.id)) : null;
  if (kept) return kept.arrayBuffer();
  return (await buildSubmissionDocx(env, id, programme))?.bytes ?? null;
}

/** One evidence file for the ZIP: its bytes as they stream, hashed on the way into `entries`. */
async function evidence(env: Env, file: AttachmentRow, index: number, variant: PacketVariant, entries: PacketEntry[]) {
  const original = variant === "original" || !file.cleanKey;
  const stored = await readSealed(env, original ? file.originalKey : (file.cleanKey ?? file.originalKey));
  if (!stored) throw new Error(`evidence file ${file.id} is gone from storage`);
  const path = evidencePath(index, safeFilename(file.filename, file.contentType));
  const copy = original ? ("original" as const) : ("clean" as const);
  // An original that no longer matches its recorded hash breaks the packet rather than travel signed.
  const body = original ? stored.body.pipeThrough(verifying(file.sha256, file.id)) : stored.body;
  const input = body.pipeThrough(
    hashing((sha256, size) => {
      entries.push({ path, sha256, size, file: { id: file.id, copy } });
    }),
  );
  return { name: path, input, lastModified: new Date(file.createdAt) };
}
