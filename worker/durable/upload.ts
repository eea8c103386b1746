import { DurableObject } from "cloudflare:workers";
import { deleteAttachment, findAttachment } from "../db/attachments.ts";
import { heldByDraft } from "../db/drafts.ts";
import { fromBase64 } from "../domain/encoding.ts";
import { ByteQueue } from "../files/byte-queue.ts";
import { type ContentRefusal, cleanKey, originalKey } from "../files/evidence.ts";
import { newSeal, openBytes, PART_PLAIN, RECORD, type SealMeta, sealBytes, sealRecords } from "../files/sealed.ts";
import { SNIFF_BYTES, type Sniffed, sniff } from "../files/sniff.ts";
import { keyById } from "../security/crypto.ts";
import { dataKey, dataKeys } from "../security/keys.ts";
import { finishUpload } from "./evidence-store.ts";

/** An unfinished upload, or a finished one nobody attached, is removed this long after its last activity. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

const pendingKey = (id: string) => `pending/${id}`;
const FINISH_RETRY_MS = 5_000;

interface UploadRow extends Record<string, SqlStorageValue> {
  id: string;
  length: number;
  offset: number;
  filename: string;
  filetype: string;
  sniffed: string | null;
  image: number;
  mpu: string;
  parts: string;
  nonce: string;
  /** The key the file is sealed with: parts sent after a key rotation still use it. */
  kid: string;
  /** The sealing format it was started in: parts sent after a format change still use it. */
  enc: SealMeta["enc"];
  status: string;
  expires_at: number;
}

/** What the tus routes see of an upload. */
export interface UploadInfo {
  id: string;
  length: number;
  offset: number;
  expiresAt: number;
  complete: boolean;
}

/** A refusal the Worker turns into a localised error (413 with the limit, 415 with the types, …). */
export interface UploadProblem {
  status: 404 | 409 | 413 | 415 | 423 | 400;
  code:
    | "not_found"
    | "offset_mismatch"
    | "too_large"
    | "file_type"
    | "damaged"
    | "unsafe"
    | "busy"
    | "complete"
    | "bad_request";
  /** The file's name, for messages about the file. */
  name?: string;
}

function problem(status: UploadProblem["status"], code: UploadProblem["code"], name?: string): Response {
  return Response.json({ status, code, name } satisfies UploadProblem, { status });
}

/**
 * One object per resumable upload (tus): it owns the R2 multipart upload.
 * R2 wants every part but the last the same size, so bytes are cut into
 * 5 MiB parts (80 sealed records each) and what is left over between
 * requests is kept, sealed, as a pending object. Everything it holds
 * survives a dropped connection, a reload and a restart.
 */
export class Upload extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** One PATCH at a time; a second one meanwhile gets 423 and retries. */
  private busy = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
  }

  async create(id: string, length: number, filename: string, filetype: string): Promise<UploadInfo> {
    // Made here, not in the constructor: an object that was only asked about keeps no storage.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS upload (
      id TEXT PRIMARY KEY, length INTEGER NOT NULL, offset INTEGER NOT NULL, filename TEXT NOT NULL,
      filetype TEXT NOT NULL, sniffed TEXT, image INTEGER NOT NULL DEFAULT 0, mpu TEXT NOT NULL,
      parts TEXT NOT NULL DEFAULT '[]', nonce TEXT NOT NULL, kid TEXT NOT NULL, status TEXT NOT NULL,
      expires_at INTEGER NOT NULL, enc TEXT NOT NULL DEFAULT 'aes-gcm-records-v1')`);
    const key = await dataKey(this.env);
    const { meta } = newSeal(key, length);
    const mpu = await this.env.FILES.createMultipartUpload(originalKey(id), { customMetadata: meta });
    const expires = Date.now() + UPLOAD_TTL_MS;
    this.sql.exec(
      "INSERT INTO upload (id, length, offset, filename, filetype, mpu, nonce, kid, status, expires_at, enc) VALUES (?, ?, 0, ?, ?, ?, ?, ?, 'uploading', ?, ?)",
      id,
      length,
      filename,
      filetype,
      mpu.uploadId,
      meta.nonce,
      meta.kid,
      expires,
      meta.enc,
    );
    await this.ctx.storage.setAlarm(expires);
    return this.info() as UploadInfo;
  }

  async head(): Promise<UploadInfo | null> {
    return this.info();
  }

  /** tus PATCH: appends the body at `Upload-Offset`. */
  override async fetch(request: Request): Promise<Response> {
    const row = this.row();
    if (!row) return problem(404, "not_found");
    // Every byte is in: a late or repeated PATCH has nothing left to write.
    if (row.status !== "uploading") return problem(409, "complete", row.filename);
    const offset = Number(request.headers.get("Upload-Offset"));
    if (!Number.isSafeInteger(offset) || offset !== row.offset) return problem(409, "offset_mismatch");
    if (this.busy) return problem(423, "busy");
    this.busy = true;
    try {
      return await this.append(row, request.body);
    } finally {
      this.busy = false;
    }
  }

  /** tus DELETE: the uploader cancels; an upload already attached to a recommendation stays. */
  async terminate(): Promise<"gone" | "attached" | "not_found"> {
    const row = this.row();
    if (!row) return "not_found";
    if (row.status === "complete" && (await findAttachment(this.env.DB, row.id))?.recSeq) return "attached";
    await this.discard(row);
    return "gone";
  }

  /**
   * Hashing, judging and the clean copy, once every byte is in R2. A file
   * refused for its content (a damaged image, an unsafe document) is
   * discarded at once and the refusal returned; it is never retried. Should
   * R2 or D1 fail, the bytes are safe and the alarm tries again shortly.
   */
  private async finish(): Promise<ContentRefusal | null> {
    const row = this.row();
    if (row?.status !== "finishing" || !row.sniffed) return null;
    try {
      const done = await finishUpload(this.env, row.id, row.filename, { type: row.sniffed, image: row.image === 1 });
      if (typeof done === "string") {
        await this.discard(row);
        return done;
      }
      this.sql.exec("UPDATE upload SET status = 'complete'");
    } catch (error) {
      console.warn("finishing an upload failed; retrying from the alarm", String(error));
      await this.ctx.storage.setAlarm(Date.now() + FINISH_RETRY_MS);
    }
    return null;
  }

  /** Expiry: what nobody finished, or finished but never attached, is deleted. Also retries finishing. */
  override async alarm(): Promise<void> {
    await this.finish();
    const row = this.row();
    if (!row) return;
    if (Date.now() < row.expires_at) {
      await this.ctx.storage.setAlarm(row.status === "finishing" ? Date.now() + FINISH_RETRY_MS : row.expires_at);
      return;
    }
    if (row.status === "complete" && (await findAttachment(this.env.DB, row.id))?.recSeq) {
      // Attached: it belongs to a recommendation now; this object's work is done.
      this.sql.exec("DELETE FROM upload");
      return;
    }
    if (row.status === "complete" && (await heldByDraft(this.env.DB, row.id, new Date().toISOString()))) {
      // A saved draft holds it: kept while the draft is, looked at again a day later.
      await this.ctx.storage.setAlarm(Date.now() + UPLOAD_TTL_MS);
      return;
    }
    await this.discard(row);
  }

  private async append(row: UploadRow, body: ReadableStream<Uint8Array> | null): Promise<Response> {
    const key = keyById(await dataKeys(this.env), row.kid);
    const nonceBase = fromBase64(row.nonce);
    const object = originalKey(row.id);
    const mpu = this.env.FILES.resumeMultipartUpload(object, row.mpu);
    const parts = JSON.parse(row.parts) as R2UploadedPart[];
    let sniffed: Sniffed | null = row.sniffed ? { type: row.sniffed, image: row.image === 1 } : null;
    const buffer = new ByteQueue();
    buffer.push(await this.loadPending(row));
    let received = 0;
    let refused: Response | null = null;

    // The first part is the file's beginning: judge it before storing anything of it.
    const judge = () => {
      if (sniffed || (buffer.length < SNIFF_BYTES && row.offset + received < row.length)) return true;
      sniffed = sniff(buffer.peek(SNIFF_BYTES), { name: row.filename, type: row.filetype });
      return sniffed !== null;
    };
    /** Seals the next part's bytes (records numbered from the parts already stored) and stores it. */
    const storePart = async (plain: Uint8Array) => {
      const firstRecord = (parts.length * PART_PLAIN) / RECORD;
      const sealed = await sealRecords(key, object, nonceBase, row.length, firstRecord, plain, row.enc);
      parts.push(await mpu.uploadPart(parts.length + 1, sealed));
    };
    // The last part must hold the file's last record, so a full part that would end the file waits for completion.
    const flushParts = async () => {
      while (buffer.length >= PART_PLAIN && (parts.length + 1) * PART_PLAIN < row.length) {
        await storePart(buffer.take(PART_PLAIN));
      }
    };

    if (body) {
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (row.offset + received + value.length > row.length) {
            refused = problem(413, "too_large", row.filename);
            break;
          }
          buffer.push(value);
          received += value.length;
          if (!judge()) {
            refused = problem(415, "file_type", row.filename);
            break;
          }
          if (sniffed) await flushParts();
        }
      } catch {
        // The connection dropped: keep what arrived, so the upload resumes from here.
      }
    }
    if (refused?.status === 415) {
      await this.discard(row);
      return refused;
    }
    if (!judge()) {
      await this.discard(row);
      return problem(415, "file_type", row.filename);
    }
    if (sniffed) await flushParts();

    const offset = row.offset + received;
    const expires = Date.now() + UPLOAD_TTL_MS;
    const complete = offset === row.length;
    if (complete) {
      await storePart(buffer.take(buffer.length));
      await mpu.complete(parts);
      await this.env.FILES.delete(pendingKey(row.id));
    } else {
      await this.savePending(row.id, buffer.take(buffer.length));
    }
    const judged = sniffed as Sniffed | null;
    this.sql.exec(
      "UPDATE upload SET offset = ?, parts = ?, sniffed = ?, image = ?, status = ?, expires_at = ?",
      offset,
      JSON.stringify(parts),
      judged?.type ?? null,
      judged?.image ? 1 : 0,
      complete ? "finishing" : "uploading",
      expires,
    );
    await this.ctx.storage.setAlarm(expires);
    const rejected = complete ? await this.finish() : null;
    if (rejected) return problem(415, rejected, row.filename);
    if (refused) return refused;
    return new Response(null, {
      status: 204,
      headers: { "Upload-Offset": String(offset), "Upload-Expires": new Date(expires).toUTCString() },
    });
  }

  /** The bytes received after the last whole part, kept sealed in R2 between requests. */
  private async loadPending(row: UploadRow): Promise<Uint8Array> {
    const object = await this.env.FILES.get(pendingKey(row.id));
    return object ? openBytes(await dataKeys(this.env), object) : new Uint8Array(0);
  }

  private async savePending(id: string, plain: Uint8Array): Promise<void> {
    if (plain.length === 0) {
      await this.env.FILES.delete(pendingKey(id));
      return;
    }
    const sealed = await sealBytes(await dataKey(this.env), pendingKey(id), plain);
    await this.env.FILES.put(pendingKey(id), sealed.data, { customMetadata: sealed.meta });
  }

  /** Removes everything of this upload: the multipart upload, stored objects, its D1 row, its state. */
  private async discard(row: UploadRow): Promise<void> {
    if (row.status !== "complete") {
      await this.env.FILES.resumeMultipartUpload(originalKey(row.id), row.mpu)
        .abort()
        .catch(() => undefined);
    }
    await this.env.FILES.delete([pendingKey(row.id), originalKey(row.id), cleanKey(row.id)]);
    await deleteAttachment(this.env.DB, row.id);
    this.sql.exec("DELETE FROM upload");
    await this.ctx.storage.deleteAlarm();
  }

  private row(): UploadRow | null {
    const made = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'upload'").toArray();
    if (made.length === 0) return null;
    // Uploads begun before the sealing format was recorded keep the format they began with.
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(upload)").toArray();
    if (!columns.some((c) => c.name === "enc")) {
      this.sql.exec("ALTER TABLE upload ADD COLUMN enc TEXT NOT NULL DEFAULT 'aes-gcm-records-v1'");
    }
    return this.sql.exec<UploadRow>("SELECT * FROM upload").toArray()[0] ?? null;
  }

  private info(): UploadInfo | null {
    const row = this.row();
    if (!row) return null;
    return {
      id: row.id,
      length: row.length,
      offset: row.offset,
      expiresAt: row.expires_at,
      complete: row.status === "complete",
    };
  }
}

/** The object of upload `id`. */
export function uploadObject(env: Env, id: string): DurableObjectStub<Upload> {
  return env.UPLOAD.get(env.UPLOAD.idFromName(id));
}
