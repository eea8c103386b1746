import type { Translate } from "../../web/i18n/index.ts";
import { formatBytes } from "../domain/bytes.ts";
import { ALLOWED_TYPES, FORM_FILE_MAX } from "../domain/files.ts";
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
