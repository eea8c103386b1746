import { findAttachment } from "../db/attachments.ts";
import { findById } from "../db/recommendations.ts";
import { toHex } from "../domain/encoding.ts";
import { openStream } from "../files/sealed.ts";
import { safeFilename } from "../files/sniff.ts";
import { dataKeys } from "../security/keys.ts";

export type Variant = "default" | "original";

/** `attachment; filename="…"` with an ASCII fallback and the real name per RFC 6266 / 5987. */
export function contentDisposition(name: string, type: string): string {
  const safe = safeFilename(name, type);
  const ascii = safe.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}

/**
 * Passes bytes through while hashing and counting them, and hands the
 * SHA-256 and size to `done` at the end; when `done` throws, the stream
 * fails there instead of completing.
 */
export function hashing(
  done: (sha256: string, size: number) => void | Promise<void>,
): TransformStream<Uint8Array, Uint8Array> {
  const digest = new crypto.DigestStream("SHA-256");
  const writer = digest.getWriter();
  let size = 0;
  return new TransformStream({
    async transform(chunk, controller) {
      size += chunk.byteLength;
      await writer.write(chunk);
      controller.enqueue(chunk);
    },
    async flush() {
      await writer.close();
      await done(toHex(new Uint8Array(await digest.digest)), size);
    },
  });
}

/**
 * Fails a stream of an original at its end when its bytes are not the ones
 * whose SHA-256 was recorded at intake (a swapped or altered file): the
 * download breaks instead of completing, and the mismatch is logged.
 */
export function verifying(expected: string, fileId: string): TransformStream<Uint8Array, Uint8Array> {
  return hashing((actual) => {
    if (actual !== expected) {
      console.error("an evidence file does not match its recorded SHA-256; download refused", fileId);
      throw new Error("evidence file does not match its recorded SHA-256");
    }
  });
}

/** A stored file's bytes, decrypted as they stream, and its size in clear; null when the object is gone. */
export async function readSealed(
  env: Env,
  key: string,
): Promise<{ body: ReadableStream<Uint8Array>; size: string } | null> {
  const object = await env.FILES.get(key);
  if (!object) return null;
  const meta = object.customMetadata ?? {};
  return { body: object.body.pipeThrough(openStream(await dataKeys(env), meta, object.key)), size: meta.size ?? "" };
}

/** The SHA-256 (hex) of a stream, read to its end a chunk at a time. */
export async function sha256OfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const digest = new crypto.DigestStream("SHA-256");
  const result = digest.digest;
  // When the stream fails, pipeTo rejects with why; the digest's own rejection says nothing more.
  result.catch(() => {});
  await stream.pipeTo(digest);
  return toHex(new Uint8Array(await result));
}

/**
 * A file of a recommendation, decrypted as it streams. Only a file that
 * belongs to that recommendation is found (no reaching another's files by
 * id). The default is what reviewers see: the metadata-free copy of an image,
 * or the file itself. A file that keeps its metadata (not cleaned) goes only
 * to those `trusted` with it, or to anyone once a coordinator released it;
 * `original` is the bytes as submitted (the route checks that right).
 */
export async function downloadAttachment(
  env: Env,
  recId: string,
  attachmentId: string,
  variant: Variant,
  trusted: boolean,
): Promise<Response | "not_found" | "not_cleaned" | "purged"> {
  const [rec, file] = await Promise.all([findById(env.DB, recId), findAttachment(env.DB, attachmentId)]);
  if (!rec || !file || file.recSeq !== rec.seq) return "not_found";
  if (variant === "default" && !file.cleaned && !file.releasedAt && !trusted) return "not_cleaned";
  const original = variant === "original" || !file.cleanKey;
  // The retention period (or the submitter's erasure) deleted it; its clean copy, if any, stays.
  if (original && file.purgedAt) return "purged";
  const object = await readSealed(env, original ? file.originalKey : (file.cleanKey ?? file.originalKey));
  if (!object) return "not_found";
  const body = original ? object.body.pipeThrough(verifying(file.sha256, file.id)) : object.body;
  // Text is served as text, never as something a browser would render or run.
  const type = file.contentType.startsWith("text/") ? `${file.contentType}; charset=utf-8` : file.contentType;
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Length": object.size,
      "Content-Disposition": contentDisposition(file.filename, file.contentType),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}
