import type { Child } from "hono/jsx";

interface FieldProps {
  name: string;
  label: string;
  required?: boolean;
  requiredText: string;
  error?: string;
  children: (attrs: FieldAttrs) => Child;
}

export interface FieldAttrs {
  id: string;
  name: string;
  required?: boolean;
  "aria-invalid"?: "true";
  "aria-describedby"?: string;
}

/** A labelled control with its error beside it, wired up for screen readers. */
export function Field({ name, label, required, requiredText, error, children }: FieldProps) {
  const id = `f-${name.replace(/[^\w-]/g, "-")}`;
  const errorId = `${id}-error`;
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>
        {label}
        {required ? <span class="req"> ({requiredText})</span> : null}
      </label>
      {error ? (
        <p class="error" id={errorId}>
          {error}
        </p>
      ) : null}
      {children({
        id,
        name,
        required,
        ...(error ? { "aria-invalid": "true" as const, "aria-describedby": errorId } : {}),
      })}
    </div>
  );
}
