import { formatBytes } from "../../worker/domain/bytes.ts";
import type { FileSummary } from "../../worker/services/files.ts";
import type { Translate } from "../i18n/index.ts";

/**
 * The submitter's files with their SHA-256 fingerprints, a word on any
 * location or device data removed, and a warning on each file that keeps its own.
 */
export function FileList({
  t,
  files,
}: {
  t: Translate;
  files: (Omit<FileSummary, "found"> & { found?: FileSummary["found"] })[];
}) {
  return (
    <ul class="files" data-testid="files">
      {files.map((file) => (
        <li data-file={file.id}>
          <strong>{file.name}</strong> ({formatBytes(file.size)})
          <br />
          {t("done.files.hash")}:{" "}
          <code class="hash" dir="ltr">
            {file.sha256}
          </code>
          {file.found?.includes("location") || file.found?.includes("device") ? (
            <p class="note" data-testid="metadata-notice">
              {t("done.files.metadata")}
            </p>
          ) : null}
          {file.cleaned ? null : (
            <p class="note warning" data-testid="not-cleaned">
              {t("done.files.not_cleaned")}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
