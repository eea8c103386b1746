/**
 * The HTML form uses the JSON names of the recommendation, dotted, with `[]` for
 * lists of values and `[i]` for rows of a group: `target.aliases[]`,
 * `target.identifiers[0].number`. This turns posted fields into the JSON
 * shape, so one schema validates both the form and the API.
 */

/** Fields posted as yes/no radio buttons or a ticked box (paths without row numbers). */
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set([
  "submitter.may_be_named",
  "submitter.notify",
  "safety.consent_to_share",
  "co_signers.may_be_named",
  "target.positions.public_official",
  "conduct.period_unknown",
  "evidence.items.consent.governments",
  "evidence.items.consent.public",
]);

/** Fields that hold a whole number (a target's place in the list, a count); anything else stays text for the schema to refuse. */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  "relations.from",
  "relations.to",
  "conduct.incidents.victims_count",
]);

type Tree = { [key: string]: Tree | Tree[] | string | string[] | boolean | number | null };

const PART = /^([a-z_]+)(?:\[(\d{0,3})\])?$/;
/** Names that would reach Object.prototype instead of a field. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/** No group in the schema allows more rows; a larger index is nobody's honest form. */
const MAX_ROWS = 100;

function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Posted fields → the recommendation's shape. Blank values are dropped (a
 * blank optional field is simply absent), and so are group rows left wholly
 * blank; the remaining rows close up, and the re-rendered form shows them in
 * that order, so error paths like `target.identifiers[1].number` match it.
 */
export function formToObject(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Tree = {};
  for (const [name, raw] of entries) {
    const value = raw.trim();
    if (value === "" || name.startsWith("_")) continue;
    const parts = name.split(".");
    let node: Tree = root;
    let path = "";
    for (const [i, part] of parts.entries()) {
      const m = PART.exec(part);
      if (!m) break;
      const [, key = "", index] = m;
      if (UNSAFE_KEYS.has(key)) break;
      path = path ? `${path}.${key}` : key;
      const last = i === parts.length - 1;
      if (index === "") {
        // `name[]`: a list of values.
        if (last) listAt<string>(node, key).push(value);
        break;
      }
      if (index !== undefined) {
        // `name[i].field`: row i of a group.
        const n = Number(index);
        if (last || n >= MAX_ROWS) break;
        const rows = listAt<Tree>(node, key);
        if (!isTree(rows[n])) rows[n] = {};
        node = rows[n] as Tree;
      } else if (last) {
        node[key] = BOOLEAN_FIELDS.has(path) ? booleanOf(value) : NUMBER_FIELDS.has(path) ? numberOf(value) : value;
      } else {
        if (!isTree(node[key])) node[key] = {};
        node = node[key] as Tree;
      }
    }
  }
  return compactRows(root) as Record<string, unknown>;
}

function listAt<T>(node: Tree, key: string): T[] {
  if (!Array.isArray(node[key])) node[key] = [];
  return node[key] as T[];
}

/** "null" is how a list of choices says "none of these" (a relation to someone who is not a target). */
function numberOf(value: string): number | null | string {
  if (value === "null") return null;
  return /^\d{1,9}$/.test(value) ? Number(value) : value;
}

function booleanOf(value: string): boolean | string {
  if (value === "yes") return true;
  if (value === "no") return false;
  return value;
}

/** Sparse or empty group rows (never filled in) are removed; the rest close up. */
function compactRows(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node
      .filter((row) => row !== undefined && !(typeof row === "object" && Object.keys(row).length === 0))
      .map(compactRows);
  }
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, compactRows(v)]));
  }
  return node;
}

/** The value at a dotted path with `[i]` indices (`target.identifiers[0].type`), for re-rendering. */
export function valueAt(object: unknown, path: string): unknown {
  let node: unknown = object;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (node === null || typeof node !== "object") return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    node = index ? (node as unknown[])[Number(index[1])] : (node as Record<string, unknown>)[part];
  }
  return node;
}
