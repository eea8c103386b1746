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
 * A sentence of the interface catalogues: its key and the values of its
 * placeholders. A key the catalogues do not have is shown as it is (plain
 * English for staff and tools).
 */
export interface Said {
  key: string;
  params?: Record<string, string | number>;
}

/** A problem with one field, said in the catalogues' words. */
export interface FieldSaid extends Said {
  path: string;
}

/**
 * The one error the app throws when it refuses a request: a status, a
 * machine code (from the status unless `details.code` says otherwise), what
 * to tell the person (a catalogue sentence, put into their language by the
 * app's error handler, once; or, for staff and tools, plain English), per-
 * field problems, other details (the current step) and headers (Retry-After).
 * The handler turns it into the API's JSON body or an error page.
 */
export class AppError extends Error {
  readonly code: string;
  readonly said: Said | null;

  constructor(
    readonly status: RefusalStatus,
    message: string | Said,
    readonly details: Record<string, unknown> & { fields?: readonly FieldSaid[] } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof message === "string" ? message : message.key);
    this.said = typeof message === "string" ? null : message;
    this.code = typeof details.code === "string" ? details.code : errorCode(status);
  }
}
