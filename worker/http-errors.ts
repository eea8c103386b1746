import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Machine-readable codes for the JSON error body `{ error: { code, message } }`. */
const CODES: Partial<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "invalid_transition",
  413: "too_large",
  415: "unsupported_type",
  422: "validation_failed",
  429: "rate_limited",
  500: "internal_error",
  503: "unavailable",
};

export function errorCode(status: number): string {
  return CODES[status] ?? (status >= 500 ? "internal_error" : "error");
}

/** An error with a JSON body of our shape (extra fields, like `fields`, ride along). */
export function apiError(
  status: ContentfulStatusCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return new HTTPException(status, {
    res: Response.json({ error: { code: errorCode(status), message, ...extra } }, { status, headers }),
  });
}

/** Marks an HTTPException whose message is already in the reader's language, fit for an error page. */
export const LOCALIZED = Symbol("localized");

/** An error whose message (already translated) both the JSON body and the error page show. */
export function localizedError(status: ContentfulStatusCode, message: string, headers: Record<string, string> = {}) {
  const error = new HTTPException(status, { message, cause: LOCALIZED });
  Object.assign(error, { headers });
  return error;
}
