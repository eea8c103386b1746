import { Hono } from "hono";
import { translator } from "../../web/i18n/index.ts";
import { StatusPage } from "../../web/pages/StatusPage.tsx";
import { page } from "../../web/render.ts";
import { formatBytes } from "../domain/bytes.ts";
import { isLocale } from "../domain/locales.ts";
import type { AppEnv } from "../env.ts";
import { ALLOWED_TYPES } from "../files/sniff.ts";
import { FORM_FILE_MAX } from "../files/store.ts";
import { receiveFormFiles } from "../services/files.ts";
import { actAsSubmitter, addEvidence, lookupReceipt, ReceiptRateLimited } from "../services/status.ts";

/**
 * The submitter's follow-up pages. Without sessions or scripts, the receipt
 * travels in each form post (pages are never cached: Cache-Control no-store).
 */
export const status = new Hono<AppEnv>();

const LOCALE = "/:locale{[a-z]{2}}";

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
    if (!(error instanceof ReceiptRateLimited)) throw error;
    c.header("Retry-After", String(error.retryAfter));
    const problem = t("errors.rate_limited", { minutes: Math.ceil(error.retryAfter / 60) });
    return page(c, <StatusPage locale={locale} t={t} receipt={receipt} problem={problem} />, 429);
  }
  if (!view) {
    return page(c, <StatusPage locale={locale} t={t} receipt={receipt} problem={t("errors.receipt_unknown")} />, 404);
  }

  if (action === "respond" || action === "withdraw" || action === "add_evidence") {
    if (action === "respond" && !message) {
      const errors = new Map([["message", t("errors.required")]]);
      return page(c, <StatusPage locale={locale} t={t} view={view} receipt={receipt} errors={errors} />, 422);
    }
    const incoming = await receiveFormFiles(c.env, form.getAll("attachments"));
    if (!incoming.ok) {
      const problem =
        incoming.problem === "size"
          ? t("errors.file_too_large", { name: incoming.name, limit: formatBytes(FORM_FILE_MAX) })
          : t("errors.file_type", { name: incoming.name, types: ALLOWED_TYPES });
      return page(
        c,
        <StatusPage locale={locale} t={t} view={view} receipt={receipt} problem={problem} message={message} />,
        incoming.status,
      );
    }
    const added = await addEvidence(
      c.env,
      view,
      incoming.files.map((f) => f.id),
    );
    const result =
      action === "add_evidence"
        ? (added ?? { ok: false as const })
        : await actAsSubmitter(c.env, view, { action, comment: action === "respond" ? message : null });
    if (!result.ok) {
      const problem = t("errors.invalid_transition");
      return page(
        c,
        <StatusPage locale={locale} t={t} view={view} receipt={receipt} problem={problem} message={message} />,
        409,
      );
    }
    const updated = await lookupReceipt(c.env, receipt, c.req.raw.headers);
    const notice = t(
      action === "respond" ? "status.responded" : action === "withdraw" ? "status.withdrawn" : "status.added",
    );
    return page(c, <StatusPage locale={locale} t={t} view={updated ?? view} receipt={receipt} notice={notice} />);
  }
  return page(c, <StatusPage locale={locale} t={t} view={view} receipt={receipt} />);
});
