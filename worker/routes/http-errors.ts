import { AppError, type FieldSaid, type RefusalStatus, type Said } from "../domain/errors.ts";

/**
 * A refusal (`details` such as `fields` or `step` ride along): a catalogue
 * sentence, which the error handler puts into the reader's language, or
 * plain English for staff and tools.
 */
export function apiError(
  status: RefusalStatus,
  message: string | Said,
  details: Record<string, unknown> & { fields?: readonly FieldSaid[] } = {},
  headers: Record<string, string> = {},
): AppError {
  return new AppError(status, message, details, headers);
}

/** The status a refused workflow action answers with: 403 the role may not, 409 not from this step, 422 a field is missing. */
export function refusalStatus(error: "forbidden" | "invalid_transition" | "missing_field"): 403 | 409 | 422 {
  return ({ forbidden: 403, invalid_transition: 409, missing_field: 422 } as const)[error];
}
