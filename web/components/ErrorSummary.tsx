import { isMessageId } from "../i18n/index.ts";
import { type FormState, idFor } from "./form.tsx";

/** `target.identifiers[1].number` → the label of its field, with the row number when it is a list. */
function labelFor(f: FormState, path: string): string {
  const key = `field.${path.replace(/\[\d+\]/g, "")}`;
  const row = /\[(\d+)\]/.exec(path)?.[1];
  const label = isMessageId(key) ? f.t(key) : path;
  return row !== undefined && Number(row) > 0 ? `${label} (${Number(row) + 1})` : label;
}

/** Lists posted as ticked boxes: a problem with one value belongs to the whole group. */
const CHOICE_LISTS = new Set(["conduct.categories", "jurisdictions"]);

function anchorFor(path: string): string {
  const base = path.replace(/\[\d+\]$/, "");
  return idFor(CHOICE_LISTS.has(base) ? base : path);
}

/** The list of problems at the top of a form that failed validation, each linking to its field. */
export function ErrorSummary({ f }: { f: FormState }) {
  if (f.errors.size === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{f.t("errors.summary_count", { count: f.errors.size })}</h2>
      <ul>
        {[...f.errors].map(([path, message]) => (
          <li>
            <a href={`#${anchorFor(path)}`}>
              {labelFor(f, path)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
