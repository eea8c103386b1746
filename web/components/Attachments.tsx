import { formatBytes } from "../../worker/domain/bytes.ts";
import { ALLOWED_TYPES, FORM_FILE_MAX } from "../../worker/domain/files.ts";
import { LIMITS } from "../../worker/domain/recommendation.ts";
import type { FileView } from "./FileList.tsx";
import { type FormState, idFor } from "./form.tsx";

/**
 * Evidence files: a plain file input that works without JavaScript (each
 * file ≤ 25 MiB, sent with the form); with JavaScript, upload.js takes over
 * each chosen file and sends it resumably. Files already received come
 * back ticked, so a form shown again loses none of them, and unticking one
 * leaves it out (no JavaScript needed).
 */
export function Attachments({ f, received }: { f: FormState; received: readonly FileView[] }) {
  const id = idFor("attachments");
  const error = f.errors.get("attachments") ?? [...f.errors].find(([p]) => p.startsWith("attachments["))?.[1];
  return (
    <div class={error ? "field invalid" : "field"} id={id}>
      <label for={`${id}-input`}>
        {f.t("field.attachments")}
        <span class="req"> ({f.t("form.optional")})</span>
      </label>
      <p class="hint" id={`${id}-hint`}>
        {f.t("field.attachments.hint", {
          count: LIMITS.attachments,
          size: formatBytes(FORM_FILE_MAX),
          types: ALLOWED_TYPES,
        })}{" "}
        {f.t("field.attachments.metadata")}
      </p>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {received.length > 0 ? <p class="hint">{f.t("form.files_received")}</p> : null}
      {received.length > 0 ? (
        <ul class="files" data-testid="received-files">
          {received.map((file) => (
            <li>
              <label class="option">
                <input type="checkbox" name="attachments[]" value={file.id} checked /> {file.name} (
                {formatBytes(file.size)})
              </label>
              {file.cleaned ? null : (
                <p class="note warning" data-testid="not-cleaned">
                  {f.t("done.files.not_cleaned")}
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <input
        type="file"
        id={`${id}-input`}
        name="attachments"
        multiple
        data-upload
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      <ul class="uploads" aria-live="polite" />
    </div>
  );
}
