/** Machine-readable codes for the JSON error body `{ error: { code, message } }`, by status. */
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

/** HTTP statuses a refusal may carry. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 423 | 429;

/**
 * The one error the app throws when it refuses a request: a status, a
 * machine code (from the status unless `details.code` says otherwise), a
 * message fit to show the person (in their language on public paths), and
 * optional details (per-field problems, the current step) and headers
 * (Retry-After). The app's error handler turns it into the API's JSON body
 * or an error page, in one place.
 */
export class AppError extends Error {
  readonly code: string;

  constructor(
    readonly status: RefusalStatus,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = typeof details.code === "string" ? details.code : errorCode(status);
  }
}
