import { type Context, Hono } from "hono";
import { staffTranslator, translator } from "../../web/i18n/index.ts";
import { DetailPage, type Presented } from "../../web/pages/DetailPage.tsx";
import { type QueueFilters, QueuePage } from "../../web/pages/QueuePage.tsx";
import { page } from "../../web/render.ts";
import { listAttachments } from "../db/attachments.ts";
import { suggestionsOf } from "../db/filings.ts";
import { countByStep, findById, listQueue, type RecommendationFilter } from "../db/recommendations.ts";
import { matchesOf } from "../db/screening.ts";
import { listActiveStaff } from "../db/staff.ts";
import { sees } from "../domain/access.ts";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { FilingInput, OutcomeInput } from "../domain/filings.ts";
import { CATEGORIES } from "../domain/recommendation.ts";
import { regimeCase, regimeWarnings } from "../domain/regimes.ts";
import { readRecord } from "../domain/sensitive.ts";
import { ACTIONS, type Action, allowedActions, STEPS, type Step } from "../domain/workflow.ts";
import { openingOf, recommendationObject } from "../durable/recommendation.ts";
import type { AppEnv } from "../env.ts";
import { requireStaff, signedIn } from "../security/require-staff.ts";
import { recordFiling, recordOutcome } from "../services/filings.ts";
import { presentRecommendation } from "../services/present.ts";
import { performAction, releaseFile, staffActor } from "../services/review.ts";
import { decideMatch } from "../services/screening.ts";
import { verifyRow } from "../services/verification.ts";
import { refusalStatus } from "./http-errors.ts";
import { regimeWarningViews } from "./regime-warnings.ts";
import { viewerOf } from "./viewer.ts";

/** The reviewers' pages: the queue, one recommendation, and its actions (plain forms). */
export const review = new Hono<AppEnv>();

review.use("*", requireStaff());

const PAGE_SIZE = 50;

/** Actions that only add words: the conversation's two forms. */
const WORDS: ReadonlySet<Action> = new Set(["message", "comment"]);

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return (list as readonly string[]).includes(value ?? "") ? (value as T) : undefined;
}

function readFilters(c: Context<AppEnv>): QueueFilters {
  const q = c.req.query("q")?.trim().slice(0, 200);
  const page = Number(c.req.query("page"));
  return {
    step: oneOf(STEPS, c.req.query("step")),
    country: oneOf(COUNTRY_CODES, c.req.query("country")),
    category: oneOf(CATEGORIES, c.req.query("category")),
    q: q || undefined,
    mine: c.req.query("assignee") === "me",
    overdue: c.req.query("overdue") === "1",
    followUp: c.req.query("follow_up") === "1",
    suggested: c.req.query("suggested") === "1",
    screening: oneOf(["duplicate", "listed"] as const, c.req.query("screening")),
    page: Number.isInteger(page) && page > 1 && page <= 10_000 ? page : 1,
  };
}

review.get("/", async (c) => {
  const staff = signedIn(c);
  const filters = readFilters(c);
  const filter: RecommendationFilter = {
    step: filters.step,
    country: filters.country,
    category: filters.category,
    search: filters.q,
    assignee: filters.mine ? staff.id : undefined,
    overdue: filters.overdue,
    followUp: filters.followUp,
    suggested: filters.suggested,
    screening: filters.screening,
  };
  const [rows, counts] = await Promise.all([
    listQueue(c.env.DB, filter, (filters.page - 1) * PAGE_SIZE, PAGE_SIZE + 1),
    countByStep(c.env.DB, filter),
  ]);
  return page(
    c,
    <QueuePage
      t={staffTranslator()}
      staff={staff}
      rows={rows.slice(0, PAGE_SIZE)}
      counts={counts}
      filters={filters}
      hasNext={rows.length > PAGE_SIZE}
    />,
  );
});

/** Renders the detail page; `refusal` explains a refused action (with its status). */
async function detail(
  c: Context<AppEnv>,
  id: string,
  refusal?: { message: string; status: 403 | 409 | 422 },
  /** A refused filing form's values, shown again in it. */
  filing?: Record<string, unknown>,
) {
  const staff = signedIn(c);
  const row = await findById(c.env.DB, id);
  if (!row) return c.notFound();
  const object = recommendationObject(c.env, id);
  const bytes = c.req.query("verify") === "bytes";
  const [state, events, custody, assignees, files, matches, suggestions] = await Promise.all([
    // Also opens an object that intake could not reach (idempotent, from the D1 row).
    object.open(openingOf(row)),
    object.events(),
    verifyRow(c.env, row, { bytes }),
    listActiveStaff(c.env.DB),
    listAttachments(c.env.DB, row.seq),
    matchesOf(c.env.DB, id),
    suggestionsOf(c.env.DB, id),
  ]);
  const showContact = sees(viewerOf(c), "contact");
  const rec = (await presentRecommendation(c.env, row, showContact)) as Presented;
  return page(
    c,
    <DetailPage
      t={staffTranslator()}
      staff={staff}
      rec={rec}
      state={state}
      events={events}
      custody={{ ...custody, bytes }}
      warnings={regimeWarningViews(translator("en"), regimeWarnings(regimeCase(readRecord(row.record))))}
      actions={allowedActions(state, staffActor(staff), staff.id)}
      assignees={assignees}
      showContact={showContact}
      canPack={sees(viewerOf(c), "originals")}
      files={files}
      screening={{ matches, screened: row.screenedAt !== null }}
      suggestions={suggestions}
      filingValues={filing}
      refusal={refusal?.message}
      done={refusal ? undefined : oneOf(ACTIONS, c.req.query("done"))}
    />,
    refusal?.status ?? 200,
  );
}

review.get("/:id", (c) => detail(c, c.req.param("id")));

review.post("/:id/actions", async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody({ all: true });
  const text = (name: string) => {
    const value = form[name];
    return typeof value === "string" ? value : undefined;
  };
  const action = oneOf(ACTIONS, text("action"));
  // Words (a note, a message) do not depend on the step, so their forms do not name it: a stale tab keeps them.
  const expected = oneOf(STEPS, text("expected_step")) ?? (action && WORDS.has(action) ? null : undefined);
  if (!action || expected === undefined) return detail(c, id, { message: "unknown action or step", status: 422 });
  const result = await performAction(
    c.env,
    id,
    {
      action,
      expected_step: expected,
      comment: text("comment"),
      message: text("message"),
      assignee: action === "assign" ? text("assignee") || null : undefined,
    },
    staffActor(signedIn(c)),
  );
  if (result.ok) return c.redirect(`/review/${id}?done=${action}#${WORDS.has(action) ? "conversation" : "actions"}-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, { message: result.message, status: refusalStatus(result.error) });
});

/** A refused filing form, for staff: each field named with what is wrong with it. */
function problemsOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`).join("; ");
}

/** Form fields as the filings' schemas read them: empty fields left out, ticked targets as numbers. */
function filingFields(form: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name === "_csrf") continue;
    if (name === "targets") {
      fields.targets = (Array.isArray(value) ? value : [value]).map(Number);
    } else if (typeof value === "string" && value.trim() !== "") fields[name] = value;
  }
  return fields;
}

review.post("/:id/filings", async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody({ all: true });
  const fields = filingFields(form);
  const parsed = FilingInput.safeParse(fields);
  if (!parsed.success) return detail(c, id, { message: problemsOf(parsed.error), status: 422 }, fields);
  const result = await recordFiling(c.env, id, parsed.data, staffActor(signedIn(c)), { packet: form.packet === "1" });
  if (result.ok) return c.redirect(`/review/${id}#filings-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, { message: result.message, status: refusalStatus(result.error) }, fields);
});

review.post("/:id/filings/:filingId/outcome", async (c) => {
  const id = c.req.param("id");
  const parsed = OutcomeInput.safeParse(filingFields(await c.req.parseBody({ all: true })));
  if (!parsed.success) return detail(c, id, { message: problemsOf(parsed.error), status: 422 });
  const result = await recordOutcome(c.env, id, c.req.param("filingId"), parsed.data, staffActor(signedIn(c)));
  if (result.ok) return c.redirect(`/review/${id}#filings-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, { message: result.message, status: refusalStatus(result.error) });
});

review.post("/:id/matches", async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody();
  const target = Number(form.target);
  const candidate = typeof form.candidate === "string" ? form.candidate : "";
  const decision = oneOf(["same", "different"] as const, typeof form.decision === "string" ? form.decision : "");
  if (!Number.isInteger(target) || !candidate || !decision) {
    return detail(c, id, { message: "unknown candidate or decision", status: 422 });
  }
  const staff = signedIn(c);
  const result = await decideMatch(c.env, id, target, candidate, decision, staffActor(staff), staff.email);
  if (result.ok) return c.redirect(`/review/${id}#screening-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, { message: result.message, status: refusalStatus(result.error) });
});

review.post("/:id/files/:fileId/release", async (c) => {
  const id = c.req.param("id");
  const result = await releaseFile(c.env, id, c.req.param("fileId"), staffActor(signedIn(c)));
  if (result.ok) return c.redirect(`/review/${id}`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, { message: result.message, status: refusalStatus(result.error) });
});
