import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { formatBytes } from "../domain/bytes.ts";
import { AppError } from "../domain/errors.ts";
import { boundaryOf, textFieldsOf } from "../domain/form-fields.ts";
import type { AppEnv } from "../env.ts";

/** JSON bodies are recommendations and actions: 1 MiB is generous. */
export const JSON_LIMIT = 1024 * 1024;
/** A form may carry files of up to 25 MiB each (more go resumably): 30 MiB in all. */
export const FORM_LIMIT = 30 * 1024 * 1024;

/** The public pages whose form posts carry files without JavaScript (the one-page form, the case file, the status page). */
const PUBLIC_FORM = /^\/[a-z]{2}\/(recommendations|status|form\/[\w/]+)$/;

/**
 * A public form post over the limit, read without its files: the request
 * goes on as the same form's text fields alone, and `skippedFiles` names
 * what was left out, so the page comes back with every value typed in it
 * and says which files to send another way. Memory holds the text only.
 */
async function withoutFiles(c: Context<AppEnv>, boundary: string): Promise<boolean> {
  const body = c.req.raw.body;
  if (!body) return false;
  let read: Awaited<ReturnType<typeof textFieldsOf>>;
  try {
    read = await textFieldsOf(body, boundary);
  } catch {
    return false;
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  headers.delete("Content-Length");
  c.req.raw = new Request(c.req.raw.url, { method: "POST", headers, body: new URLSearchParams(read.fields) });
  c.set("skippedFiles", read.files);
  return true;
}

/**
 * Refuses bodies over the limit with 413 saying the limit, in the reader's
 * language, before any of them is read into memory. Paths under
 * `ownLimits` (uploads, the backup's file parts) set their own and pass. A public form post with files over the limit
 * is read for its text alone instead (the page then says which files to send later).
 */
export function bodyLimits(ownLimits: readonly string[]): MiddlewareHandler<AppEnv> {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, { key: "errors.body_too_large", params: { limit: formatBytes(maxSize) } });
      },
    });
  const json = limiter(JSON_LIMIT);
  const form = limiter(FORM_LIMIT);
  return async (c, next) => {
    if (ownLimits.some((prefix) => c.req.path.startsWith(prefix))) return next();
    const type = c.req.header("Content-Type") ?? "";
    const length = Number(c.req.header("Content-Length"));
    const boundary = boundaryOf(type);
    if (boundary && length > FORM_LIMIT && c.req.method === "POST" && PUBLIC_FORM.test(c.req.path)) {
      if (await withoutFiles(c, boundary)) return next();
      throw new AppError(413, { key: "errors.body_too_large", params: { limit: formatBytes(FORM_LIMIT) } });
    }
    return (type.includes("json") ? json : form)(c, next);
  };
}
