import { type Context, Hono } from "hono";
import { staffTranslator, translator } from "../../web/i18n/index.ts";
import { ConfirmPage } from "../../web/pages/ConfirmPage.tsx";
import { DetailPage, type Presented } from "../../web/pages/DetailPage.tsx";
import { type QueueFilters, QueuePage } from "../../web/pages/QueuePage.tsx";
import { page } from "../../web/render.ts";
import { listAttachments } from "../db/attachments.ts";
import { suggestionsOf } from "../db/filings.ts";
import { markRead, unreadOf } from "../db/notifications.ts";
import { countByStep, findById, listQueue, type RecommendationFilter } from "../db/recommendations.ts";
import { matchesOf } from "../db/screening.ts";
import { listActiveStaff, saveStaffSettings } from "../db/staff.ts";
import { sees } from "../domain/access.ts";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { FilingInput, OutcomeInput } from "../domain/filings.ts";
import { isStaffLocale } from "../domain/locales.ts";
import { isQueueSort, QUEUE_PAGE_SIZE, QUEUE_SORTS } from "../domain/queue.ts";
import { CATEGORIES } from "../domain/recommendation.ts";
import { regimeCase, regimeWarnings } from "../domain/regimes.ts";
import { readRecord } from "../domain/sensitive.ts";
import { ACTIONS, type Action, allowedActions, type Refusal, STEPS } from "../domain/workflow.ts";
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

/** Inbox items listed above the queue (the rest are counted). */
const INBOX_SHOWN = 10;

/** Actions that only add words: the conversation's two forms. */
const WORDS: ReadonlySet<Action> = new Set(["message", "comment"]);

function oneOf<T extends string>(list: readonly T[], value: string | undefined): T | undefined {
  return (list as readonly string[]).includes(value ?? "") ? (value as T) : undefined;
}

function readFilters(c: Context<AppEnv>): QueueFilters {
  const q = c.req.query("q")?.trim().slice(0, 200);
  const page = Number(c.req.query("page"));
  const asked = c.req.query("sort");
  const sort = isQueueSort(asked) ? asked : "updated";
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
    sort,
    dir: oneOf(["asc", "desc"] as const, c.req.query("dir")) ?? QUEUE_SORTS[sort],
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
  const [rows, counts, inbox, assignees] = await Promise.all([
    listQueue(
      c.env.DB,
      filter,
      (filters.page - 1) * QUEUE_PAGE_SIZE,
      QUEUE_PAGE_SIZE + 1,
      { by: filters.sort, dir: filters.dir },
      staff.id,
    ),
    countByStep(c.env.DB, filter),
    unreadOf(c.env.DB, staff.id, INBOX_SHOWN),
    listActiveStaff(c.env.DB),
  ]);
  const shown = rows.slice(0, QUEUE_PAGE_SIZE);
  const total = filters.step ? (counts[filters.step] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
  const assigned = Number(c.req.query("assigned"));
  return page(
    c,
    <QueuePage
      t={staffTranslator(signedIn(c).locale)}
      staff={staff}
      rows={shown}
      counts={counts}
      filters={filters}
      hasNext={rows.length > QUEUE_PAGE_SIZE}
      inbox={inbox}
      assignees={assignees.filter((a) => a.id !== staff.id)}
      total={total}
      done={
        Number.isInteger(assigned) && assigned >= 0 && c.req.query("refused") !== undefined
          ? { assigned, refused: Number(c.req.query("refused")) || 0 }
          : undefined
      }
      now={Date.now()}
      saved={c.req.query("saved") === "1"}
    />,
  );
});

/**
 * Bulk assignment from the queue: the ticked rows to one person (or to
 * nobody), or one row to the signed-in person ("Assign to me"). Each is an
 * `assign` event of its own; one that is closed meanwhile is refused and counted.
 */
review.post("/assign", async (c) => {
  const staff = signedIn(c);
  const form = await c.req.parseBody({ all: true });
  const only = typeof form.only === "string" && form.only ? [form.only] : null;
  const ids =
    only ?? (Array.isArray(form.ids) ? form.ids : [form.ids]).filter((v): v is string => typeof v === "string");
  const chosen = only ? "me" : typeof form.assignee === "string" ? form.assignee : "me";
  const assignee = chosen === "me" ? staff.id : chosen || null;
  let assigned = 0;
  for (const id of ids.slice(0, QUEUE_PAGE_SIZE)) {
    const result = await performAction(
      c.env,
      id,
      { action: "assign", expected_step: null, assignee },
      staffActor(staff),
    );
    if (result.ok) assigned++;
  }
  const back = typeof form.back === "string" && form.back.startsWith("/review") ? form.back : "/review";
  const url = new URL(back, "https://dossier.invalid");
  url.searchParams.set("assigned", String(assigned));
  url.searchParams.set("refused", String(Math.min(ids.length, QUEUE_PAGE_SIZE) - assigned));
  return c.redirect(`${url.pathname}${url.search}`, 303);
});

review.post("/settings", async (c) => {
  const form = await c.req.parseBody();
  const locale = typeof form.locale === "string" && isStaffLocale(form.locale) ? form.locale : "en";
  await saveStaffSettings(c.env.DB, signedIn(c).id, { locale, mail: form.mail === "1" });
  return c.redirect("/review?saved=1", 303);
});

review.post("/inbox/read", async (c) => {
  await markRead(c.env.DB, signedIn(c).id, null, new Date().toISOString());
  return c.redirect("/review", 303);
});

/**
 * A refused action in plain words for the person who tried: a tab that was
 * out of date says where the recommendation is now and that nothing changed.
 */
function refused(c: Context<AppEnv>, result: Refusal): { message: string; status: 403 | 409 | 422 } {
  const t = staffTranslator(signedIn(c).locale);
  const status = refusalStatus(result.error);
  if (result.error === "invalid_transition") {
    return { status, message: t("refused.step", { step: t(`step.${result.step}`), detail: result.message }) };
  }
  if (result.error === "forbidden") return { status, message: t("refused.role") };
  return { status, message: t("refused.missing", { detail: result.message }) };
}

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
    // Opening a recommendation reads what waited in this person's inbox about it.
    // Also opens an object that intake could not reach (idempotent, from the D1 row).
    object.open(openingOf(row)),
    object.events(),
    verifyRow(c.env, row, { bytes }),
    listActiveStaff(c.env.DB),
    listAttachments(c.env.DB, row.seq),
    matchesOf(c.env.DB, id),
    suggestionsOf(c.env.DB, id),
    markRead(c.env.DB, staff.id, id, new Date().toISOString()),
  ]);
  const showContact = sees(viewerOf(c), "contact");
  const rec = (await presentRecommendation(c.env, row, showContact)) as Presented;
  return page(
    c,
    <DetailPage
      t={staffTranslator(signedIn(c).locale)}
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
  const comment = text("comment");
  const message = text("message");
  // A rejection cannot be taken back by whoever made it: a second page says what it does, then it is done.
  if (action === "reject" && comment?.trim() && text("confirmed") !== "yes") {
    const t = staffTranslator(signedIn(c).locale);
    const row = await findById(c.env.DB, id);
    if (!row) return c.notFound();
    return page(
      c,
      <ConfirmPage
        t={t}
        staff={signedIn(c)}
        title={t("confirm.reject.title", { reference: row.reference })}
        lines={[
          t("confirm.reject.text"),
          t("confirm.reason", { text: comment }),
          message?.trim() ? t("confirm.message", { text: message }) : t("confirm.no_message"),
        ]}
        action={`/review/${id}/actions`}
        fields={[
          ["action", action],
          ["expected_step", expected ?? ""],
          ["comment", comment],
          ["message", message ?? ""],
        ]}
        yes={t("confirm.reject.yes")}
        back={`/review/${id}`}
      />,
    );
  }
  const result = await performAction(
    c.env,
    id,
    {
      action,
      expected_step: expected,
      comment,
      message,
      assignee: action === "assign" ? text("assignee") || null : undefined,
    },
    staffActor(signedIn(c)),
  );
  if (result.ok)
    return c.redirect(`/review/${id}?done=${action}#${WORDS.has(action) ? "conversation" : "actions"}-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, refused(c, result));
});

/** The second page of recording an outcome: which government decided what, and when. */
async function confirmOutcome(
  c: Context<AppEnv>,
  id: string,
  filingId: string,
  outcome: OutcomeInput,
  form: Record<string, unknown>,
) {
  const t = staffTranslator(signedIn(c).locale);
  const row = await findById(c.env.DB, id);
  const filing = row ? (await recommendationObject(c.env, id).state())?.filings.find((f) => f.id === filingId) : null;
  if (!row || !filing) return c.notFound();
  const fields = Object.entries(form).flatMap(([name, value]) =>
    name === "_csrf" || name === "confirmed"
      ? []
      : (Array.isArray(value) ? value : [value]).filter((v) => typeof v === "string").map((v) => [name, v] as const),
  );
  return page(
    c,
    <ConfirmPage
      t={t}
      staff={signedIn(c)}
      title={t("confirm.outcome.title", { reference: row.reference })}
      lines={[
        t(`confirm.outcome.${outcome.outcome}`, {
          programme: translator("en")(`jurisdiction.${filing.programme}`),
          date: outcome.on,
        }),
        t("confirm.outcome.text"),
      ]}
      action={`/review/${id}/filings/${filingId}/outcome`}
      fields={fields}
      yes={t("confirm.outcome.yes")}
      back={`/review/${id}#filings-title`}
    />,
  );
}

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
  if (result.ok) return c.redirect(`/review/${id}?done=file#filings-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, refused(c, result), fields);
});

review.post("/:id/filings/:filingId/outcome", async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody({ all: true });
  const parsed = OutcomeInput.safeParse(filingFields(form));
  if (!parsed.success) return detail(c, id, { message: problemsOf(parsed.error), status: 422 });
  // A government's answer closes the filing (and may close the recommendation): asked once more, in words.
  if (form.confirmed !== "yes") return confirmOutcome(c, id, c.req.param("filingId"), parsed.data, form);
  const result = await recordOutcome(c.env, id, c.req.param("filingId"), parsed.data, staffActor(signedIn(c)));
  if (result.ok) return c.redirect(`/review/${id}?done=record_outcome#filings-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, refused(c, result));
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
  if (result.ok) return c.redirect(`/review/${id}?done=link#screening-title`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, refused(c, result));
});

review.post("/:id/files/:fileId/release", async (c) => {
  const id = c.req.param("id");
  const result = await releaseFile(c.env, id, c.req.param("fileId"), staffActor(signedIn(c)));
  if (result.ok) return c.redirect(`/review/${id}?done=release_file`, 303);
  if (result.error === "not_found") return c.notFound();
  return detail(c, id, refused(c, result));
});
