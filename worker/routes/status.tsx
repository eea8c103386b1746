import { Hono } from "hono";
import { type MessageId, type Translate, translator } from "../../web/i18n/index.ts";
import { StatusPage } from "../../web/pages/StatusPage.tsx";
import { page } from "../../web/render.ts";
import { AppError } from "../domain/errors.ts";
import { isLocale } from "../domain/locales.ts";
import { LIMITS } from "../domain/recommendation.ts";
import type { ActResult } from "../durable/recommendation.ts";
import type { AppEnv } from "../env.ts";
import { receiveFormFiles } from "../services/files.ts";
import { actAsSubmitter, type EvidenceRefusal, lookupReceipt, write } from "../services/status.ts";
import { fileProblem, filesNotTaken } from "./file-problems.ts";

/**
 * The submitter's follow-up pages. Without sessions or scripts, the receipt
 * travels in each form post (pages are never cached: Cache-Control no-store).
 */
export const status = new Hono<AppEnv>();

const LOCALE = "/:locale{[a-z]{2}}";

/** What a refused submitter action says, and with which status. */
function refusal(t: Translate, result: Exclude<ActResult | EvidenceRefusal, { ok: true }>) {
  if (result.error === "too_many_files")
    return { status: 413 as const, problem: t("errors.too_many_files", { count: LIMITS.attachments }) };
  if (result.error === "unknown_upload" || result.error === "missing_field")
    return { status: 422 as const, problem: t("errors.attachment_unknown") };
  return { status: 409 as const, problem: t("errors.invalid_transition") };
}

status.get(`${LOCALE}/status`, (c) => {
  const locale = c.req.param("locale");
  if (!isLocale(locale)) return c.notFound();
  return page(c, <StatusPage locale={locale} t={translator(locale)} />);
});

status.post(`${LOCALE}/status`, async (c) => {
  const locale = c.req.param("locale");
  if (!isLocale(locale)) return c.notFound();
  const t = translator(locale);
  const form = await c.req.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const receipt = text("receipt");
  const action = text("_action");
  const message = text("message");

  if (!receipt) {
    return page(c, <StatusPage locale={locale} t={t} errors={new Map([["receipt", t("errors.required")]])} />, 422);
  }
  let view: Awaited<ReturnType<typeof lookupReceipt>>;
  try {
    view = await lookupReceipt(c.env, receipt, c.req.raw.headers);
  } catch (error) {
    // Too many wrong codes: the same page, with the lookup form kept, rather than an error page.
    if (!(error instanceof AppError && error.status === 429 && error.said)) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    const problem = t(error.said.key as MessageId, error.said.params);
    return page(c, <StatusPage locale={locale} t={t} receipt={receipt} problem={problem} />, 429);
  }
  if (!view) {
    return page(c, <StatusPage locale={locale} t={t} receipt={receipt} problem={t("errors.receipt_unknown")} />, 404);
  }
  const opened = view;
  const show = (status: 200 | 409 | 413 | 415 | 422, extra: { problem?: string; errors?: Map<string, string> } = {}) =>
    page(c, <StatusPage locale={locale} t={t} view={opened} receipt={receipt} message={message} {...extra} />, status);
  /** The page after an action: the refusal, or the new state with a confirmation. */
  const after = async (result: ActResult | EvidenceRefusal, notice: MessageId) => {
    if (!result.ok) {
      const refused = refusal(t, result);
      return show(refused.status, { problem: refused.problem });
    }
    const updated = await lookupReceipt(c.env, receipt, c.req.raw.headers);
    return page(c, <StatusPage locale={locale} t={t} view={updated ?? opened} receipt={receipt} notice={t(notice)} />);
  };

  if (action === "withdraw") {
    // Withdrawing stops the review: a second page asks first (works without JavaScript).
    return page(c, <StatusPage locale={locale} t={t} view={view} receipt={receipt} confirmWithdraw />);
  }
  if (action === "withdraw_confirmed") {
    return after(await actAsSubmitter(c.env, view, { action: "withdraw" }), "status.withdrawn");
  }
  if (action === "erase") {
    return page(c, <StatusPage locale={locale} t={t} view={view} receipt={receipt} confirmErase />);
  }
  if (action === "erase_confirmed") {
    return after(await actAsSubmitter(c.env, view, { action: "request_erasure" }), "status.erase.received");
  }
  // One form to write in: an answer while a change request is open, else a message, with or without files.
  if (!["write", "respond", "add_evidence"].includes(action)) return show(200);
  if (view.canRespond && !message) return show(422, { errors: new Map([["message", t("errors.required")]]) });

  const skipped = c.get("skippedFiles");
  if (skipped?.length) return show(413, { problem: filesNotTaken(t, skipped) });
  // Files come two ways: uploaded already by the script (ids), or in this post (no JavaScript).
  const uploaded = form.getAll("attachments[]").filter((v): v is string => typeof v === "string" && v !== "");
  const posted = form.getAll("attachments").filter((v): v is File => typeof v !== "string" && v.size > 0);
  if (view.attachments.length + uploaded.length + posted.length > LIMITS.attachments) {
    return show(413, { problem: t("errors.too_many_files", { count: LIMITS.attachments }) });
  }
  const incoming = await receiveFormFiles(c.env, posted);
  if (!incoming.ok) {
    const refused = fileProblem(t, incoming.problem, incoming.name);
    return show(refused.status, { problem: refused.message });
  }
  const ids = [...uploaded, ...incoming.files.map((f) => f.id)];
  const result = await write(c.env, view, message, ids);
  if (!result) return show(422, { errors: new Map([["message", t("errors.message_or_files")]]) });
  return after(result, view.canRespond ? "status.responded" : message ? "status.written" : "status.added");
});
