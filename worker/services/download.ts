import { findAttachment } from "../db/attachments.ts";
import { findById } from "../db/recommendations.ts";
import { openStream } from "../files/sealed.ts";
import { safeFilename } from "../files/sniff.ts";
import { dataKeys } from "./data-key.ts";

export type Variant = "default" | "original";

/** `attachment; filename="…"` with an ASCII fallback and the real name per RFC 6266 / 5987. */
export function contentDisposition(name: string): string {
  const safe = safeFilename(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}

/**
 * A file of a recommendation, decrypted as it streams. Only a file that
 * belongs to that recommendation is found (no reaching another's files by
 * id). The default is what reviewers see: the metadata-free copy of an
 * image, or the file itself; `original` is the bytes as submitted.
 */
export async function downloadAttachment(env: Env, recId: string, attachmentId: string, variant: Variant) {
  const [rec, file] = await Promise.all([findById(env.DB, recId), findAttachment(env.DB, attachmentId)]);
  if (!rec || !file || file.recSeq !== rec.seq) return null;
  const key = variant === "original" || !file.cleanKey ? file.originalKey : file.cleanKey;
  const object = await env.FILES.get(key);
  if (!object) return null;
  const body = object.body.pipeThrough(openStream(await dataKeys(env), object.customMetadata ?? {}));
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": object.customMetadata?.size ?? "",
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "no-store",
    },
  });
}
