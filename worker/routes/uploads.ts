import { type Context, Hono } from "hono";
import { formatBytes } from "../domain/bytes.ts";
import type { Said } from "../domain/errors.ts";
import { ALLOWED_TYPES } from "../domain/files.ts";
import { type UploadProblem, uploadObject } from "../durable/upload.ts";
import type { AppEnv } from "../env.ts";
import { safeFilename } from "../files/sniff.ts";
import { spendUpload } from "../security/throttle.ts";
import { isUploadId, newUploadId } from "../security/upload-ids.ts";
import { apiError } from "./http-errors.ts";

/** Resumable uploads: tus 1.0.0 with creation, termination and expiration. */
export const uploads = new Hono<AppEnv>();

const TUS = "1.0.0";
const ID = "/:id{[A-Za-z0-9_-]{16,64}}";

/** An id this server handed out; anything else is 404 without waking an object (security/upload-ids.ts). */
uploads.use(ID, async (c, next) => {
  if (!(await isUploadId(c.env, c.req.param("id") ?? ""))) return c.body(null, 404);
  await next();
});

export function maxUploadBytes(env: Env): number {
  const max = Number(env.MAX_UPLOAD_BYTES);
  return Number.isSafeInteger(max) && max > 0 ? max : 2 * 1024 ** 3;
}

/** `filename d2l0bmVzcy5wZGY=,filetype YXBwbGljYXRpb24vcGRm` → { filename, filetype }. */
export function parseMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? "").split(",")) {
    const [key, value = ""] = pair.trim().split(" ");
    if (!key) continue;
    try {
      out[key] = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
    } catch {
      out[key] = "";
    }
  }
  return out;
}

uploads.use("*", async (c, next) => {
  await next();
  c.header("Tus-Resumable", TUS);
});

/**
 * A refusal the tus client shows: about the file, in the person's language;
 * about the protocol, in plain English for the client's developer.
 */
function refuse(c: Context<AppEnv>, p: Pick<UploadProblem, "status" | "code">, name = ""): never {
  const messages: Record<UploadProblem["code"], string | Said> = {
    too_large: { key: "errors.file_too_large", params: { name, limit: formatBytes(maxUploadBytes(c.env)) } },
    file_type: { key: "errors.file_type", params: { name, types: ALLOWED_TYPES } },
    damaged: { key: "errors.file_damaged", params: { name } },
    unsafe: { key: "errors.file_unsafe", params: { name } },
    offset_mismatch: "Upload-Offset does not match the upload's offset; ask with HEAD and resume from there.",
    busy: "Another request is writing to this upload; try again shortly.",
    complete: "This upload is already complete.",
    not_found: "No such upload (finished and attached, expired or cancelled).",
    bad_request: "Bad request.",
  };
  throw apiError(p.status, messages[p.code], {}, { "Tus-Resumable": TUS });
}

uploads.options("/", (c) => {
  c.header("Tus-Version", TUS);
  c.header("Tus-Extension", "creation,termination,expiration");
  c.header("Tus-Max-Size", String(maxUploadBytes(c.env)));
  return c.body(null, 204);
});

uploads.post("/", async (c) => {
  if (c.req.header("Tus-Resumable") !== TUS) {
    c.header("Tus-Version", TUS);
    return c.body(null, 412);
  }
  const meta = parseMetadata(c.req.header("Upload-Metadata"));
  const name = safeFilename(meta.filename);
  const length = Number(c.req.header("Upload-Length"));
  if (!Number.isSafeInteger(length) || length < 1) refuse(c, { status: 400, code: "bad_request" });
  if (length > maxUploadBytes(c.env)) refuse(c, { status: 413, code: "too_large" }, name);
  await spendUpload(c);
  const id = await newUploadId(c.env);
  const info = await uploadObject(c.env, id).create(id, length, name, meta.filetype ?? "");
  c.header("Location", `/uploads/${id}`);
  c.header("Upload-Expires", new Date(info.expiresAt).toUTCString());
  return c.body(null, 201);
});

// Hono answers HEAD with the GET handler (and no body): this is tus's HEAD.
uploads.get(ID, async (c) => {
  const info = await uploadObject(c.env, c.req.param("id")).head();
  if (!info) return c.body(null, 404);
  c.header("Upload-Offset", String(info.offset));
  c.header("Upload-Length", String(info.length));
  c.header("Upload-Expires", new Date(info.expiresAt).toUTCString());
  return c.body(null, 200);
});

uploads.patch(ID, async (c) => {
  if (c.req.header("Content-Type") !== "application/offset+octet-stream") {
    throw apiError(415, "PATCH needs Content-Type: application/offset+octet-stream.", {}, { "Tus-Resumable": TUS });
  }
  const res = await uploadObject(c.env, c.req.param("id")).fetch(
    new Request("https://upload.internal/", {
      method: "PATCH",
      headers: { "Upload-Offset": c.req.header("Upload-Offset") ?? "" },
      body: c.req.raw.body,
    }),
  );
  if (res.ok) return new Response(null, { status: 204, headers: res.headers });
  const p = (await res.json()) as UploadProblem;
  refuse(c, p, p.name);
});

uploads.delete(ID, async (c) => {
  const result = await uploadObject(c.env, c.req.param("id")).terminate();
  if (result === "not_found") return c.body(null, 404);
  if (result === "attached")
    throw apiError(409, "This file is part of a submitted recommendation.", {}, { "Tus-Resumable": TUS });
  return c.body(null, 204);
});
