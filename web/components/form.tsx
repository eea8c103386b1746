import type { Child } from "hono/jsx";
import { valueAt } from "../../worker/domain/form-input.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import type { MessageId, Translate } from "../i18n/index.ts";

/** What every control needs: the entered values, the errors by path, and the words. */
export interface FormState {
  locale: Locale;
  t: Translate;
  values: unknown;
  errors: ReadonlyMap<string, string>;
  /** Extra empty rows asked for with "Add another", by list path. */
  extraRows?: string;
  /** Where the form posts (and "Add another" with it); the one-page form's by default. */
  action?: string;
}

/** `target.identifiers[0].number` → `f-target-identifiers-0-number`: stable ids the error summary links to. */
export function idFor(path: string): string {
  return `f-${path.replace(/[^\w]+/g, "-").replace(/-+$/, "")}`;
}

function text(value: unknown): string {
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : "";
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

interface Labelled {
  f: FormState;
  path: string;
  label: MessageId;
  hint?: string;
  required?: boolean;
  /** The name posted; defaults to the path (lists use `path[]`). */
  name?: string;
  /** A row of a list under a legend that already says what it is: labelled by its number alone. */
  row?: number;
}

function LabelText({ f, label, required }: Pick<Labelled, "f" | "label" | "required">) {
  return (
    <>
      {f.t(label)}
      <span class="req"> ({f.t(required ? "form.required" : "form.optional")})</span>
    </>
  );
}

/** The help text and the error under a field's label, with the ids aria-describedby points to. */
function HintAndError({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorText id={id} message={error} />
    </>
  );
}

function ErrorText({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p class="error" id={`${id}-error`}>
      {message}
    </p>
  ) : null;
}

/** `date` and `code` are plain text inputs that read left to right (partial dates, receipt codes). */
type InputKind = "text" | "email" | "tel" | "url" | "date" | "code";

/** The attributes that tie a control to its label, hint and error. */
interface ControlAttrs {
  id: string;
  name: string;
  "aria-required"?: "true";
  "aria-invalid"?: "true";
  "aria-describedby"?: string;
}

/** A labelled control with its hint and its error beside it, wired up for screen readers. */
function Field(props: Labelled & { control: (attrs: ControlAttrs) => Child }) {
  const { f, path, hint, required, control } = props;
  const id = idFor(path);
  const error = f.errors.get(path);
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{props.row ? `${props.row}.` : <LabelText {...props} />}</label>
      <HintAndError id={id} hint={hint} error={error} />
      {control({
        id,
        name: props.name ?? path,
        "aria-required": required ? "true" : undefined,
        "aria-invalid": error ? "true" : undefined,
        "aria-describedby": describedBy(hint && `${id}-hint`, error && `${id}-error`),
      })}
    </div>
  );
}

/** A one-line text input. */
export function TextInput(props: Labelled & { type?: InputKind; autocomplete?: string }) {
  const { f, path, type = "text", autocomplete } = props;
  const plain = type === "date" || type === "code";
  return (
    <Field
      {...props}
      control={(attrs) => (
        <input
          type={plain ? "text" : type}
          value={text(valueAt(f.values, path))}
          autocomplete={autocomplete ?? (plain ? "off" : undefined)}
          spellcheck={type === "code" ? false : undefined}
          // Dates, addresses and numbers read left to right even on right-to-left pages.
          dir={type === "text" ? undefined : "ltr"}
          {...attrs}
        />
      )}
    />
  );
}

/** A multi-line text box. */
export function TextArea(props: Labelled & { rows?: number }) {
  const { f, path, rows = 5 } = props;
  return (
    <Field
      {...props}
      control={(attrs) => (
        <textarea rows={rows} {...attrs}>
          {text(valueAt(f.values, path))}
        </textarea>
      )}
    />
  );
}

/** A drop-down list; `options` are `[value, label]` pairs. */
export function Select(props: Labelled & { options: readonly (readonly [string, string])[] }) {
  const { f, path, options } = props;
  // A choice of "none of these" is posted as "null" and kept as null (form-input.ts).
  const value = valueAt(f.values, path);
  const current = value === null ? "null" : text(value);
  return (
    <Field
      {...props}
      control={(attrs) => (
        <select {...attrs}>
          <option value="">{f.t("form.choose")}</option>
          {options.map(([value, label]) => (
            <option value={value} selected={value === current}>
              {label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/**
 * Radio buttons (one answer) or checkboxes (`multiple`: posted as `path[]`)
 * in a fieldset whose legend is the question.
 */
export function Choice(
  props: Labelled & { options: readonly (readonly [string, string])[]; multiple?: boolean; columns?: boolean },
) {
  const { f, path, hint, required, options, multiple, columns } = props;
  const id = idFor(path);
  // A problem with one ticked value (`path[1]`) is shown for the whole group.
  const error = f.errors.get(path) ?? [...f.errors].find(([p]) => p.startsWith(`${path}[`))?.[1];
  const current = valueAt(f.values, path);
  const chosen = (value: string) =>
    Array.isArray(current) ? current.includes(value) : String(current) === value || current === (value === "yes");
  return (
    <fieldset
      class={`${error ? "field invalid" : "field"}${columns ? " columns" : ""}`}
      id={id}
      aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
    >
      <legend>
        <LabelText {...props} />
      </legend>
      <HintAndError id={id} hint={hint} error={error} />
      {options.map(([value, label]) => (
        <label class="option">
          <input
            type={multiple ? "checkbox" : "radio"}
            id={`${id}-${value}`}
            name={multiple ? `${path}[]` : path}
            value={value}
            checked={current !== undefined && chosen(value)}
            aria-invalid={error ? "true" : undefined}
            required={!multiple && required ? true : undefined}
          />{" "}
          {label}
        </label>
      ))}
    </fieldset>
  );
}

/** How many rows a repeatable list shows: what was entered, at least one, plus one if asked for. */
export function rowCount(f: FormState, path: string, max: number): number {
  const current = valueAt(f.values, path);
  const filled = Array.isArray(current) ? current.length : 0;
  return Math.min(max, Math.max(1, filled + (f.extraRows === path ? 1 : 0)));
}

/** The button that posts the form back with one more empty row (works without JavaScript). */
export function AddAnother({ f, path }: { f: FormState; path: string }) {
  return (
    <button
      type="submit"
      class="secondary"
      name="_add"
      value={path}
      formnovalidate
      formaction={`${f.action ?? `/${f.locale}/recommendations`}#${idFor(path)}`}
    >
      {f.t("form.add_another")}
    </button>
  );
}

/** A repeatable part of the form: its legend, its rows, and "Add another" while there is room. */
function Repeat(props: {
  f: FormState;
  path: string;
  label: MessageId;
  max: number;
  hint?: string;
  row: (i: number) => Child;
}) {
  const { f, path, label, hint, max, row } = props;
  const rows = rowCount(f, path, max);
  return (
    <fieldset class="field repeat" id={idFor(path)}>
      <legend>
        <LabelText f={f} label={label} />
      </legend>
      {hint ? <p class="hint">{hint}</p> : null}
      {Array.from({ length: rows }, (_, i) => row(i))}
      {rows < max ? <AddAnother f={f} path={path} /> : null}
    </fieldset>
  );
}

/** A list of single values (`target.aliases[]`), one input per row. */
export function RepeatText(props: Labelled & { max: number; type?: InputKind }) {
  const { f, path, label, type } = props;
  return (
    <Repeat
      {...props}
      row={(i) => <TextInput f={f} path={`${path}[${i}]`} name={`${path}[]`} label={label} type={type} row={i + 1} />}
    />
  );
}

/** Rows of a group (`target.identifiers[i].…`), each row rendered by `row(i)`. */
export function RepeatGroup(props: {
  f: FormState;
  path: string;
  label: MessageId;
  max: number;
  row: (i: number) => Child;
}) {
  return <Repeat {...props} row={(i) => <div class="row">{props.row(i)}</div>} />;
}

/** One box to tick (`path` posted as "yes" when ticked), for a statement that is true or not. */
export function Checkbox({ f, path, label }: { f: FormState; path: string; label: MessageId }) {
  const id = idFor(path);
  const error = f.errors.get(path);
  return (
    <div class={error ? "field invalid" : "field"}>
      <ErrorText id={id} message={error} />
      <label class="option">
        <input
          type="checkbox"
          id={id}
          name={path}
          value="yes"
          checked={valueAt(f.values, path) === true}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />{" "}
        {f.t(label)}
      </label>
    </div>
  );
}
