import type { Translate } from "../../web/i18n/index.ts";
import { formatBytes } from "../domain/bytes.ts";
import { ALLOWED_TYPES, FORM_FILE_MAX } from "../domain/files.ts";
import type { SkippedFile } from "../domain/form-fields.ts";
import { FORM_LIMIT } from "../security/body-limits.ts";
import type { FileProblem } from "../services/files.ts";

/** A refused file, said in the reader's language: 413 with the limit, or 415 with what is allowed and why not. */
export function fileProblem(t: Translate, problem: FileProblem, name: string, limit = FORM_FILE_MAX) {
  switch (problem) {
    case "size":
      return { status: 413 as const, message: t("errors.file_too_large", { name, limit: formatBytes(limit) }) };
    case "type":
      return { status: 415 as const, message: t("errors.file_type", { name, types: ALLOWED_TYPES }) };
    case "damaged":
      return { status: 415 as const, message: t("errors.file_damaged", { name }) };
    case "unsafe":
      return { status: 415 as const, message: t("errors.file_unsafe", { name }) };
  }
}

/** Files passed over because the form with them was over its limit: named, with their sizes, and how to send them later. */
export function filesNotTaken(t: Translate, files: readonly SkippedFile[]): string {
  const names = files.map((f) => `${f.name} (${formatBytes(f.size)})`).join(", ");
  return t("errors.files_not_taken", { limit: formatBytes(FORM_LIMIT), names });
}
