import { formatBytes } from "../../worker/domain/bytes.ts";

import type { Translate } from "../i18n/index.ts";

/**
 * The submitter's files with their SHA-256 fingerprints, a word on any
 * location or device data removed, and a warning on each file that keeps its own.
 */
/** A file as the submitter's pages show it. */
export interface FileView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  /** What identifying metadata the clean copy left out (`location`, `device`, `metadata`). */
  found?: readonly string[];
  /** false: it keeps its own metadata, and reviewers get it only when a coordinator releases it. */
  cleaned: boolean;
}

export function FileList({ t, files }: { t: Translate; files: readonly FileView[] }) {
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
