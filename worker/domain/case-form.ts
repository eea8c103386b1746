import { ConductV2, LIMITS_V2, RecommendationInput, UNDECIDED } from "./recommendation.ts";
import { type FieldProblem, fieldProblems } from "./validation.ts";

/**
 * The case file as a form of several pages (a task list): which part of the
 * recommendation each page holds, how a page's answers join what was saved
 * before, and which problems belong to a page. One schema judges them all:
 * a page's problems are the whole recommendation's problems under its paths,
 * so a page can never pass what sending would refuse.
 */

/** The pages after the targets, in the order the task list shows them. */
export const SECTIONS = [
  "organisation",
  "relations",
  "conduct",
  "incidents",
  "programmes",
  "evidence",
  "safety",
] as const;
export type Section = (typeof SECTIONS)[number];

/** A page: a section, or target `n` (0-based) of the targets. */
export type FormPage = { section: Section } | { target: number };

/** Where each section keeps its answers in the recommendation. */
const SLOTS: Record<Section, readonly string[]> = {
  organisation: ["submitter", "co_signers"],
  relations: ["relations"],
  conduct: Object.keys(ConductV2.shape)
    .filter((key) => key !== "incidents")
    .map((key) => `conduct.${key}`),
  incidents: ["conduct.incidents"],
  programmes: ["jurisdictions", "impact"],
  evidence: ["evidence", "attachments"],
  safety: ["safety"],
};

/** Sections a recommendation can be sent without. */
export const OPTIONAL_SECTIONS: ReadonlySet<Section> = new Set(["relations", "incidents"]);

/**
 * The form in progress, as saved in its draft: the recommendation's shape,
 * any part missing. Once sent it holds only the reference (`sent`).
 */
export type CaseDraft = Record<string, unknown> & { schema_version: 2; sent?: string };

export function isCaseDraft(values: Record<string, unknown>): values is CaseDraft {
  return values.schema_version === 2;
}

export function emptyCase(): CaseDraft {
  return { schema_version: 2 };
}

type Tree = Record<string, unknown>;

function child(node: Tree, key: string): Tree {
  const value = node[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Tree) : {};
}

function get(node: Tree, slot: string): unknown {
  const [head = "", rest] = slot.split(".", 2);
  return rest === undefined ? node[head] : child(node, head)[rest];
}

function set(node: Tree, slot: string, value: unknown): Tree {
  const [head = "", rest] = slot.split(".", 2);
  if (rest === undefined) {
    const { [head]: _, ...others } = node;
    return value === undefined ? others : { ...others, [head]: value };
  }
  return { ...node, [head]: set(child(node, head), rest, value) };
}

export function targetsOf(draft: CaseDraft): Tree[] {
  return Array.isArray(draft.targets) ? (draft.targets as Tree[]) : [];
}

/**
 * A page's posted answers in place of what the draft held for that page
 * (the rest of the draft is kept). The target pages post `target.…`, which
 * becomes target `n`.
 */
export function withPage(draft: CaseDraft, page: FormPage, posted: Tree): CaseDraft {
  if ("target" in page) {
    const targets = [...targetsOf(draft)];
    targets[Math.min(page.target, targets.length)] = child(posted, "target");
    return { ...draft, targets };
  }
  let next: Tree = draft;
  for (const slot of SLOTS[page.section]) next = set(next, slot, prepare(slot, get(posted, slot)));
  return next as CaseDraft;
}

/** Programmes ticked together with "not sure": the programmes named win, the person knew at least those. */
function prepare(slot: string, value: unknown): unknown {
  if (slot === "jurisdictions" && Array.isArray(value) && value.length > 1) {
    return value.filter((v) => v !== UNDECIDED);
  }
  return value;
}

/** Removes target `n`; relations that named it go, and the others keep pointing at the same targets. */
export function withoutTarget(draft: CaseDraft, n: number): CaseDraft {
  const targets = targetsOf(draft).filter((_, i) => i !== n);
  const shift = (i: unknown) => (typeof i === "number" && i > n ? i - 1 : i);
  const relations = (Array.isArray(draft.relations) ? (draft.relations as Tree[]) : [])
    .filter((r) => r.from !== n && r.to !== n)
    .map((r) => ({ ...r, from: shift(r.from), to: shift(r.to) }));
  return { ...draft, targets, relations };
}

/**
 * The draft as the schema sees it: parts never started are empty objects,
 * so a whole empty section lists each of its missing fields by name.
 */
function skeleton(draft: CaseDraft): Tree {
  const filled: Tree = { submitter: {}, conduct: {}, evidence: {}, safety: {}, ...draft };
  if (targetsOf(draft).length === 0) filled.targets = [{}];
  return filled;
}

/** Every problem of the draft, by path (`targets[1].name`). */
export function draftProblems(draft: CaseDraft): FieldProblem[] {
  const parsed = RecommendationInput.safeParse(skeleton(draft));
  return parsed.success ? [] : fieldProblems(parsed.error);
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

function prefixesOf(page: FormPage): readonly string[] {
  return "target" in page ? [`targets[${page.target}]`] : SLOTS[page.section];
}

/** The problems that belong to one page; a target page's paths read `target.…`, as its fields are named. */
export function pageProblems(problems: readonly FieldProblem[], page: FormPage): FieldProblem[] {
  const prefixes = prefixesOf(page);
  const mine = problems.filter((p) => prefixes.some((prefix) => under(p.path, prefix)));
  if (!("target" in page)) return mine;
  const prefix = `targets[${page.target}]`;
  return mine.map((p) => ({ ...p, path: `target${p.path.slice(prefix.length)}` }));
}

/** Which page a problem of the whole recommendation is on (for the review page's links). */
export function pageOf(path: string): FormPage | undefined {
  const target = /^targets\[(\d+)\]/.exec(path);
  if (target) return { target: Number(target[1]) };
  if (path === "targets") return { target: 0 };
  const section = SECTIONS.find((s) => SLOTS[s].some((prefix) => under(path, prefix)));
  return section ? { section } : undefined;
}

export type PageStatus = "not_started" | "in_progress" | "completed" | "optional";

function hasAnswers(draft: CaseDraft, page: FormPage): boolean {
  const values = "target" in page ? [targetsOf(draft)[page.target]] : SLOTS[page.section].map((s) => get(draft, s));
  return values.some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

/** The task list's mark for a page. */
export function pageStatus(draft: CaseDraft, problems: readonly FieldProblem[], page: FormPage): PageStatus {
  if (!hasAnswers(draft, page))
    return "target" in page || !OPTIONAL_SECTIONS.has(page.section) ? "not_started" : "optional";
  return pageProblems(problems, page).length === 0 ? "completed" : "in_progress";
}

/** Whether another target can be added. */
export function roomForTarget(draft: CaseDraft): boolean {
  return targetsOf(draft).length < LIMITS_V2.targets;
}

/** A page's address under `/{locale}/form/`. */
export function pagePath(page: FormPage): string {
  return "target" in page ? `target/${page.target + 1}` : page.section;
}
