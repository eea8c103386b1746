import { AppError, type RefusalStatus } from "../domain/errors.ts";

/** A refusal with a JSON body of the API's shape (`details` such as `fields` or `step` ride along). */
export function apiError(
  status: RefusalStatus,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): AppError {
  return new AppError(status, message, details, headers);
}
