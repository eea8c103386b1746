import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { problemMessage, translator } from "../../web/i18n/index.ts";
import { CaseSectionPage, TaskListPage } from "../../web/pages/CasePages.tsx";
import { CaseReviewPage } from "../../web/pages/CaseReviewPage.tsx";
import { DraftSavedPage } from "../../web/pages/DraftSavedPage.tsx";
import { SubmittedPage } from "../../web/pages/SubmittedPage.tsx";
import { page as html } from "../../web/render.ts";
import {
  type CaseDraft,
  draftProblems,
  emptyCase,
  type FormPage,
  isCaseDraft,
  pageOf,
  pagePath,
  pageProblems,
  pageStatus,
  roomForTarget,
  SECTIONS,
  type Section,
  targetsOf,
  withoutTarget,
  withPage,
} from "../domain/case-form.ts";
import { AppError } from "../domain/errors.ts";
import { formToObject } from "../domain/form-input.ts";
import type { Locale } from "../domain/locales.ts";
import { LIMITS, LIMITS_V2, RecommendationInput } from "../domain/recommendation.ts";
import type { AppEnv } from "../env.ts";
import { spendSubmission, submissionBuckets } from "../security/throttle.ts";
import { turnstileSiteKey, turnstileWidget, verifyTurnstile } from "../security/turnstile.ts";
import { openDraft, saveDraft } from "../services/drafts.ts";
import { pendingFiles, receiveFormFiles } from "../services/files.ts";
import { submitOnce } from "../services/submit.ts";
import { fileProblem, filesNotTaken } from "./file-problems.ts";
import { LOCALE, newToken, pathLocale, sentToken } from "./public-page.ts";
import { regimeWarningViews } from "./regime-warnings.ts";

/**
 * The case file in steps (works without JavaScript): a task list, a page per
 * part, a page to check everything, then sending. What is answered lives in
 * a draft (sealed, in D1), found again through a session cookie holding its
 * code, so the pages can be answered in any order and any language, and
 * "save and continue later" only has to show the code.
 */
export const caseForm = new Hono<AppEnv>();

/** The draft's code, for this browser session only: HttpOnly, never sent by another site. */
export const DRAFT_COOKIE = "draft";

type Ctx = Context<AppEnv>;

async function currentCase(c: Ctx): Promise<{ draft: CaseDraft; code?: string }> {
  const code = getCookie(c, DRAFT_COOKIE);
  if (code) {
    const values = await openDraft(c.env, code, c.req.raw.headers);
    if (values && isCaseDraft(values)) return { draft: values, code };
  }
  return { draft: emptyCase() };
}

/** Saves the draft, under its code when it has one (a new draft counts as a submission against abuse). */
export async function keepCase(c: Ctx, draft: CaseDraft, code?: string): Promise<string> {
  if (!code) await spendSubmission(c);
  const saved = await saveDraft(c.env, draft, code);
  setCookie(c, DRAFT_COOKIE, saved, { path: "/", httpOnly: true, sameSite: "Strict", secure: true });
  return saved;
}

const attachmentsOf = (draft: CaseDraft) => (Array.isArray(draft.attachments) ? (draft.attachments as string[]) : []);
const targetNames = (draft: CaseDraft) => targetsOf(draft).map((t) => (typeof t.name === "string" ? t.name : ""));

async function showPage(
  c: Ctx,
  locale: Locale,
  draft: CaseDraft,
  page: FormPage,
  options: { errors?: Map<string, string>; status?: 200 | 413 | 415 | 422; extraRows?: string; problem?: string } = {},
) {
  const targets = targetsOf(draft);
  const evidence = "section" in page && page.section === "evidence";
  return html(
    c,
    <CaseSectionPage
      locale={locale}
      t={translator(locale)}
      page={page}
      values={"target" in page ? { target: targets[page.target] ?? {} } : draft}
      errors={options.errors ?? new Map()}
      extraRows={options.extraRows}
      action={`/${locale}/form/${pagePath(page)}`}
      targetNames={targetNames(draft)}
      received={evidence ? await pendingFiles(c.env, attachmentsOf(draft).slice(0, LIMITS.attachments)) : []}
      removable={"target" in page && page.target < targets.length}
      problem={options.problem}
    />,
    options.status ?? 200,
  );
}

caseForm.get(`${LOCALE}/form`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  const { draft } = await currentCase(c);
  let notice: string | undefined;
  if (typeof draft.sent === "string") {
    // Sent already: this browser forgets the draft, which holds only the reference now.
    deleteCookie(c, DRAFT_COOKIE, { path: "/", secure: true });
    notice = t("case.sent", { reference: draft.sent });
  }
  const current = notice ? emptyCase() : draft;
  const problems = draftProblems(current);
  const targets = targetsOf(current);
  const rows = (targets.length ? targets : [{}]).map((target, i) => ({
    page: { target: i },
    name: typeof target.name === "string" ? target.name : undefined,
    status: pageStatus(current, problems, { target: i }),
  }));
  const sections = SECTIONS.map((section) => ({
    page: { section },
    status: pageStatus(current, problems, { section }),
  }));
  return html(
    c,
    <TaskListPage
      locale={locale}
      t={t}
      targets={rows}
      sections={sections}
      canAddTarget={targets.length > 0 && roomForTarget(current)}
      notice={notice}
    />,
  );
});

/** The pages still to finish, in the order of the task list. */
function unfinished(draft: CaseDraft): FormPage[] {
  const pages = new Map<string, FormPage>();
  for (const problem of draftProblems(draft)) {
    const page = pageOf(problem.path);
    if (page) pages.set(pagePath(page), page);
  }
  const order = [...targetsOf(draft).map((_, i) => `target/${i + 1}`), ...SECTIONS];
  return [...pages.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([, page]) => page);
}

async function showReview(c: Ctx, locale: Locale, draft: CaseDraft, status: 200 | 422 = 200, problem?: string) {
  const files = await pendingFiles(c.env, attachmentsOf(draft).slice(0, LIMITS.attachments));
  return html(
    c,
    <CaseReviewPage
      locale={locale}
      t={translator(locale)}
      draft={draft}
      files={files}
      unfinished={unfinished(draft)}
      token={newToken()}
      turnstile={turnstileWidget(c.env)}
      problem={problem}
    />,
    status,
  );
}

caseForm.get(`${LOCALE}/form/review`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const { draft } = await currentCase(c);
  if (typeof draft.sent === "string") return c.redirect(`/${locale}/form`, 303);
  return showReview(c, locale, draft);
});

caseForm.post(`${LOCALE}/form/send`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  const form = await c.req.formData();
  const { draft, code } = await currentCase(c);
  // Sent already (the browser's "resubmit"): the task list says so, with the reference.
  if (typeof draft.sent === "string" || !code) return c.redirect(`/${locale}/form`, 303);
  const parsed = RecommendationInput.safeParse(draft);
  if (!parsed.success) return showReview(c, locale, draft, 422);
  if (turnstileSiteKey(c.env)) {
    const answer = form.get("cf-turnstile-response");
    if (!(await verifyTurnstile(c.env, typeof answer === "string" ? answer : ""))) {
      return showReview(c, locale, draft, 422, t("errors.bot_check"));
    }
  }
  const limits = await submissionBuckets(c);
  try {
    const token = sentToken(form.get("_token"));
    const submitted = await submitOnce(
      c.env,
      parsed.data,
      locale,
      { key: token, scope: "form", sent: parsed.data },
      limits,
    );
    // The draft keeps only the reference now: going back shows nothing of what was sent.
    await saveDraft(c.env, { ...emptyCase(), sent: submitted.reference }, code);
    const warnings = regimeWarningViews(t, submitted.warnings);
    return html(c, <SubmittedPage locale={locale} t={t} submitted={{ ...submitted, warnings }} />, 201);
  } catch (error) {
    // Uploads that expired meanwhile: the check page again, without them, saying so.
    if (!(error instanceof AppError && error.code === "attachments_missing")) throw error;
    const gone = new Set(error.details.fields?.map((f) => f.path));
    const kept = { ...draft, attachments: attachmentsOf(draft).filter((_, i) => !gone.has(`attachments[${i}]`)) };
    await keepCase(c, kept, code);
    return showReview(c, locale, kept, 422, t("errors.attachment_unknown"));
  }
});

/** The page in the path: a section by name, or `target/N` (1-based); undefined when there is no such page. */
function requested(c: Ctx, draft: CaseDraft): FormPage | "too_far" | undefined {
  const n = c.req.param("n");
  if (n !== undefined) {
    const index = Number(n) - 1;
    if (index < 0 || index >= LIMITS_V2.targets) return undefined;
    return index > targetsOf(draft).length ? "too_far" : { target: index };
  }
  const section = c.req.param("section");
  return SECTIONS.includes(section as Section) ? { section: section as Section } : undefined;
}

const PAGE_ROUTES = [`${LOCALE}/form/target/:n{[0-9]{1,2}}`, `${LOCALE}/form/:section{[a-z_]+}`] as const;

for (const route of PAGE_ROUTES) {
  caseForm.get(route, async (c) => {
    const locale = pathLocale(c);
    if (!locale) return c.notFound();
    const { draft } = await currentCase(c);
    const page = requested(c, draft);
    if (!page) return c.notFound();
    // A target page past the next free one: the next free one.
    if (page === "too_far") return c.redirect(`/${locale}/form/target/${targetsOf(draft).length + 1}`, 303);
    return showPage(c, locale, draft, page);
  });

  caseForm.post(route, async (c) => {
    const locale = pathLocale(c);
    if (!locale) return c.notFound();
    const t = translator(locale);
    const form = await c.req.formData();
    const fields = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string");
    const intent = form.get("intent");
    const current = await currentCase(c);
    const page = requested(c, current.draft);
    if (!page || page === "too_far") return c.notFound();

    if (intent === "remove" && "target" in page) {
      await keepCase(c, withoutTarget(current.draft, page.target), current.code);
      return c.redirect(`/${locale}/form`, 303);
    }
    let draft = withPage(current.draft, page, formToObject(fields));

    // Files chosen without JavaScript (the evidence page): judged and kept with the draft at once.
    const posted = form.getAll("attachments").filter((v): v is File => typeof v !== "string" && v.size > 0);
    let refused: { errors: Map<string, string>; status: 413 | 415 | 422 } | undefined;
    const skipped = c.get("skippedFiles");
    if (skipped?.length) refused = { errors: new Map([["attachments", filesNotTaken(t, skipped)]]), status: 413 };
    else if (posted.length > 0) {
      if (attachmentsOf(draft).length + posted.length > LIMITS.attachments) {
        const message = t("errors.too_many_files", { count: LIMITS.attachments });
        refused = { errors: new Map([["attachments", message]]), status: 413 };
      } else {
        const incoming = await receiveFormFiles(c.env, posted);
        if (incoming.ok)
          draft = { ...draft, attachments: [...attachmentsOf(draft), ...incoming.files.map((f) => f.id)] };
        else {
          const problem = fileProblem(t, incoming.problem, incoming.name);
          refused = { errors: new Map([["attachments", problem.message]]), status: problem.status };
        }
      }
    }
    const code = await keepCase(c, draft, current.code);
    if (intent === "save_draft") return html(c, <DraftSavedPage locale={locale} t={t} code={code} />);
    if (refused) return showPage(c, locale, draft, page, refused);

    const add = form.get("_add");
    if (typeof add === "string") return showPage(c, locale, draft, page, { extraRows: add });
    // Another language: the same page, with what was typed, in that language.
    if (intent === "language") return showPage(c, locale, draft, page);
    const problems = pageProblems(draftProblems(draft), page);
    if (problems.length > 0) {
      const errors = new Map(problems.map((p) => [p.path, problemMessage(t, p)]));
      return showPage(c, locale, draft, page, { errors, status: 422 });
    }
    return c.redirect(`/${locale}/form`, 303);
  });
}
