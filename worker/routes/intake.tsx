import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { problemMessage, translator } from "../../web/i18n/index.ts";
import { DraftSavedPage } from "../../web/pages/DraftSavedPage.tsx";
import { IntakeForm } from "../../web/pages/IntakeForm.tsx";
import { SubmittedPage } from "../../web/pages/SubmittedPage.tsx";
import { page } from "../../web/render.ts";
import { isCaseDraft } from "../domain/case-form.ts";
import { AppError } from "../domain/errors.ts";
import { formToObject } from "../domain/form-input.ts";
import { negotiate } from "../domain/locales.ts";
import { normalizeReceipt } from "../domain/receipt.ts";
import { LIMITS, RecommendationV1, upgrade } from "../domain/recommendation.ts";
import { fieldProblems } from "../domain/validation.ts";
import type { AppEnv } from "../env.ts";
import { spendSubmission } from "../security/throttle.ts";
import { turnstileSiteKey, turnstileWidget, verifyTurnstile } from "../security/turnstile.ts";
import { discardDraft, openDraft, saveDraft } from "../services/drafts.ts";
import { pendingFiles, receiveFormFiles } from "../services/files.ts";
import { submitOnce } from "../services/submit.ts";
import { keepCase } from "./case-form.tsx";
import { fileProblem, filesNotTaken } from "./file-problems.ts";
import { LOCALE, newToken, pathLocale, sentToken } from "./public-page.ts";
import { regimeWarningViews } from "./regime-warnings.ts";

/** The sections of the one-page form, as an empty form posts them (not at all). */
const EMPTY_SECTIONS = { submitter: {}, target: {}, conduct: {}, evidence: {}, safety: {} };

/** The public front door: language choice, the intake form and its answer. */
export const intake = new Hono<AppEnv>();

intake.get("/", (c) => {
  const locale = negotiate(getCookie(c, "lang"), c.req.header("Accept-Language"));
  c.header("Vary", "Cookie, Accept-Language");
  return c.redirect(`/${locale}/`, 302);
});

intake.get(`${LOCALE}/`, (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  return page(
    c,
    <IntakeForm
      locale={locale}
      t={t}
      values={{}}
      errors={new Map()}
      token={newToken()}
      turnstile={turnstileWidget(c.env)}
    />,
  );
});

/** The resumable uploader's words in a language, fetched by the uploader when a file is chosen. */
intake.get(`${LOCALE}/uploader.json`, (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  return c.json({
    notCleaned: t("done.files.not_cleaned"),
    remove: t("upload.remove"),
    retry: t("upload.retry"),
    waiting: t("upload.waiting"),
  });
});

intake.post(`${LOCALE}/recommendations`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  const form = await c.req.formData();
  const fields = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string");
  const values = formToObject(fields);
  const token = sentToken(form.get("_token"));

  // Files uploaded already (with JavaScript) ride along as ids. Files in this
  // post are taken in only once the form is valid, checked and within its
  // limits: an abandoned or hostile post stores nothing. When the form comes
  // back, the page names the files to choose again.
  const received = (values.attachments as string[] | undefined) ?? [];
  const posted = form.getAll("attachments").filter((v): v is File => typeof v !== "string" && v.size > 0);
  const notKept = posted.length > 0 ? t("form.files_not_kept", { names: posted.map((f) => f.name).join(", ") }) : "";
  const show = async (errors: Map<string, string>, status: 200 | 413 | 415 | 422, extraRows?: string, problem = "") =>
    page(
      c,
      <IntakeForm
        locale={locale}
        t={t}
        values={values}
        errors={errors}
        token={token}
        extraRows={extraRows}
        received={await pendingFiles(c.env, received.slice(0, LIMITS.attachments))}
        turnstile={turnstileWidget(c.env)}
        problem={[problem, notKept].filter(Boolean).join(" ") || undefined}
      />,
      status,
    );

  // Files over the form's limit were passed over (security/body-limits.ts): the form comes back, values kept.
  const skipped = c.get("skippedFiles");
  if (skipped?.length) return show(new Map([["attachments", filesNotTaken(t, skipped)]]), 413);
  if (received.length + posted.length > LIMITS.attachments) {
    return show(new Map([["attachments", t("errors.too_many_files", { count: LIMITS.attachments })]]), 413);
  }
  const add = form.get("_add");
  if (typeof add === "string") return show(new Map(), 200, add);
  // Another language (the switcher posts the form here): the same form, as typed, in that language.
  if (form.get("intent") === "language") return show(new Map(), 200);

  // "Save and continue later": kept as typed, nothing checked; files chosen here are judged and kept with it.
  const draftCode = form.get("_draft");
  if (form.get("intent") === "save_draft") {
    await spendSubmission(c);
    const incoming = await receiveFormFiles(c.env, posted);
    if (!incoming.ok) {
      const refused = fileProblem(t, incoming.problem, incoming.name);
      return show(new Map([["attachments", refused.message]]), refused.status);
    }
    values.attachments = [...received, ...incoming.files.map((f) => f.id)];
    const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith("_") && key !== "intent"));
    const code = await saveDraft(c.env, kept, typeof draftCode === "string" ? draftCode : undefined);
    return page(c, <DraftSavedPage locale={locale} t={t} code={code} />);
  }

  // The one-page form asks for one target: version 1, stored as version 2.
  // A section left wholly empty posts nothing: judged as an empty section, each missing field is named by its label.
  const parsed = RecommendationV1.safeParse({ ...EMPTY_SECTIONS, ...values }, { reportInput: true });
  if (!parsed.success) {
    return show(new Map(fieldProblems(parsed.error).map((p) => [p.path, problemMessage(t, p)])), 422);
  }
  if (turnstileSiteKey(c.env)) {
    const answer = form.get("cf-turnstile-response");
    if (!(await verifyTurnstile(c.env, typeof answer === "string" ? answer : ""))) {
      return show(new Map(), 422, undefined, t("errors.bot_check"));
    }
  }
  await spendSubmission(c);
  const incoming = await receiveFormFiles(c.env, posted);
  if (!incoming.ok) {
    const refused = fileProblem(t, incoming.problem, incoming.name);
    return show(new Map([["attachments", refused.message]]), refused.status);
  }
  const ids = [...received, ...incoming.files.map((f) => f.id)];
  const sent = { ...parsed.data, attachments: ids };
  try {
    const submitted = await submitOnce(c.env, upgrade(sent), locale, {
      key: token,
      scope: "form",
      sent,
    });
    const warnings = regimeWarningViews(t, submitted.warnings);
    if (typeof draftCode === "string" && draftCode) await discardDraft(c.env, draftCode);
    return page(c, <SubmittedPage locale={locale} t={t} submitted={{ ...submitted, warnings }} />, 201);
  } catch (error) {
    // Uploads that expired meanwhile: the form again, without them, saying so.
    if (!(error instanceof AppError && error.code === "attachments_missing")) throw error;
    const gone = new Set(error.details.fields?.map((f) => f.path));
    values.attachments = received.filter((_, i) => !gone.has(`attachments[${i}]`));
    return show(new Map([["attachments", t("errors.attachment_unknown")]]), 422);
  }
});

intake.post(`${LOCALE}/drafts/open`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  const form = await c.req.formData();
  const code = form.get("draft_code");
  const values = typeof code === "string" && code.trim() ? await openDraft(c.env, code, c.req.raw.headers) : null;
  // A draft of the case file in steps goes back to its task list, in this browser from now on.
  if (values && isCaseDraft(values)) {
    await keepCase(c, values, code as string);
    return c.redirect(`/${locale}/form`, 303);
  }
  const received = (values?.attachments as string[] | undefined) ?? [];
  return page(
    c,
    <IntakeForm
      locale={locale}
      t={t}
      values={values ?? {}}
      errors={new Map()}
      token={newToken()}
      received={await pendingFiles(c.env, received.slice(0, LIMITS.attachments))}
      turnstile={turnstileWidget(c.env)}
      draft={values ? normalizeReceipt(code as string) : undefined}
      notice={values ? t("draft.opened") : undefined}
      problem={values ? undefined : t("errors.draft_unknown")}
    />,
    values ? 200 : 404,
  );
});
