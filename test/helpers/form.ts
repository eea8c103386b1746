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
