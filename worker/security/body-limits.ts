import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { formatBytes } from "../domain/bytes.ts";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";

/** JSON bodies are recommendations and actions: 1 MiB is generous. */
export const JSON_LIMIT = 1024 * 1024;
/** A form may carry files of up to 25 MiB each (more go resumably): 30 MiB in all. */
export const FORM_LIMIT = 30 * 1024 * 1024;

/**
 * Refuses bodies over the limit with 413 saying the limit, in the reader's
 * language, before any of them is read into memory. Uploads have their own
 * limits (tus chunks) and pass.
 */
export function bodyLimits(): MiddlewareHandler<AppEnv> {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, { key: "errors.body_too_large", params: { limit: formatBytes(maxSize) } });
      },
    });
  const json = limiter(JSON_LIMIT);
  const form = limiter(FORM_LIMIT);
  return (c, next) => {
    if (c.req.path.startsWith("/uploads")) return next();
    const type = c.req.header("Content-Type") ?? "";
    return (type.includes("json") ? json : form)(c, next);
  };
}
