/** A recommendation as the HTML form posts it: dotted names, `[]` lists, `[i]` rows, yes/no. */
export function toFormFields(value: unknown, prefix = ""): [string, string][] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      item !== null && typeof item === "object"
        ? toFormFields(item, `${prefix}[${i}]`)
        : [[`${prefix}[]`, String(item)]],
    ) as [string, string][];
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => toFormFields(v, prefix ? `${prefix}.${k}` : k));
  }
  if (value === undefined) return [];
  if (typeof value === "boolean") return [[prefix, value ? "yes" : "no"]];
  return [[prefix, String(value)]];
}

export function formBody(fields: [string, string][]): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return body;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Whether the page shows `value` as the current value of field `name`: a
 * text box holding it, a textarea with it as its text, a checked radio or
 * checkbox, or a selected option. An option or radio that merely exists
 * (every form has `<option value="UA">`) does not count.
 */
export function showsValue(html: string, name: string, value: string): boolean {
  const n = escapeHtml(name).replace(/[[\]().]/g, "\\$&");
  const v = escapeHtml(value);
  const tags = [...html.matchAll(new RegExp(`<input\\b[^>]*\\bname="${n}"[^>]*>`, "g"))].map((m) => m[0]);
  for (const tag of tags) {
    if (!tag.includes(`value="${v}"`)) continue;
    if (/type="(radio|checkbox)"/.test(tag) ? /\bchecked\b/.test(tag) : true) return true;
  }
  for (const m of html.matchAll(new RegExp(`<textarea\\b[^>]*\\bname="${n}"[^>]*>([^<]*)</textarea>`, "g"))) {
    if (m[1] === v) return true;
  }
  for (const m of html.matchAll(new RegExp(`<select\\b[^>]*\\bname="${n}"[^>]*>([\\s\\S]*?)</select>`, "g"))) {
    if (new RegExp(`<option value="${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" selected`).test(m[1] ?? ""))
      return true;
  }
  return false;
}
