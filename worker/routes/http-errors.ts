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
