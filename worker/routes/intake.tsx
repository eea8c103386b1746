import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { problemMessage, translator } from "../../web/i18n/index.ts";
import { IntakeForm } from "../../web/pages/IntakeForm.tsx";
import { SubmittedPage } from "../../web/pages/SubmittedPage.tsx";
import { page } from "../../web/render.ts";
import { formatBytes } from "../domain/bytes.ts";
import { formToObject } from "../domain/form-input.ts";
import { isLocale, type Locale, negotiate } from "../domain/locales.ts";
import { LIMITS, RecommendationInput } from "../domain/recommendation.ts";
import { fieldProblems } from "../domain/validation.ts";
import type { AppEnv } from "../env.ts";
import { ALLOWED_TYPES } from "../files/sniff.ts";
import { FORM_FILE_MAX } from "../files/store.ts";
import { randomBytes, toBase64Url } from "../security/encoding.ts";
import { spendSubmission } from "../security/throttle.ts";
import { turnstileSiteKey, verifyTurnstile } from "../security/turnstile.ts";
import { pendingFiles, receiveFormFiles } from "../services/files.ts";
import { AttachmentsMissing, submitOnce } from "../services/submit.ts";

/** The public front door: language choice, the intake form and its answer. */
export const intake = new Hono<AppEnv>();

const LOCALE = "/:locale{[a-z]{2}}";
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The path's locale; also remembered in a session cookie (gone when the browser closes: no lasting trace). */
function pathLocale(c: Context<AppEnv>): Locale | undefined {
  const locale = c.req.param("locale");
  if (!isLocale(locale)) return undefined;
  if (getCookie(c, "lang") !== locale) setCookie(c, "lang", locale, { path: "/", sameSite: "Lax", secure: true });
  return locale;
}

function newToken(): string {
  return toBase64Url(randomBytes(16));
}

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
      turnstile={turnstileSiteKey(c.env)}
    />,
  );
});

intake.post(`${LOCALE}/recommendations`, async (c) => {
  const locale = pathLocale(c);
  if (!locale) return c.notFound();
  const t = translator(locale);
  const form = await c.req.formData();
  const fields = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string");
  const values = formToObject(fields);
  const sentToken = form.get("_token");
  const token = typeof sentToken === "string" && TOKEN.test(sentToken) ? sentToken : newToken();

  // Files first: once stored they ride along as ids, so a form shown again never loses them.
  const received = (values.attachments as string[] | undefined) ?? [];
  const posted = form.getAll("attachments").filter((v): v is File => typeof v !== "string" && v.size > 0);
  const tooMany = received.length + posted.length > LIMITS.attachments;
  const incoming = tooMany ? { ok: true as const, files: [] } : await receiveFormFiles(c.env, posted);
  const ids = [...received.slice(0, LIMITS.attachments), ...(incoming.ok ? incoming.files.map((f) => f.id) : [])];
  if (ids.length > 0) values.attachments = ids;
  const show = async (
    errors: Map<string, string>,
    status: 200 | 413 | 415 | 422,
    extraRows?: string,
    problem?: string,
  ) =>
    page(
      c,
      <IntakeForm
        locale={locale}
        t={t}
        values={values}
        errors={errors}
        token={token}
        extraRows={extraRows}
        received={await pendingFiles(c.env, ids)}
        turnstile={turnstileSiteKey(c.env)}
        problem={problem}
      />,
      status,
    );

  if (tooMany) {
    return show(new Map([["attachments", t("errors.too_many_files", { count: LIMITS.attachments })]]), 413);
  }
  if (!incoming.ok) {
    const message =
      incoming.problem === "size"
        ? t("errors.file_too_large", { name: incoming.name, limit: formatBytes(FORM_FILE_MAX) })
        : t("errors.file_type", { name: incoming.name, types: ALLOWED_TYPES });
    return show(new Map([["attachments", message]]), incoming.status);
  }
  const add = form.get("_add");
  if (typeof add === "string") return show(new Map(), 200, add);

  const parsed = RecommendationInput.safeParse(values, { reportInput: true });
  if (!parsed.success) {
    return show(new Map(fieldProblems(parsed.error).map((p) => [p.path, problemMessage(t, p)])), 422);
  }
  if (turnstileSiteKey(c.env)) {
    const answer = form.get("cf-turnstile-response");
    if (!(await verifyTurnstile(c.env, typeof answer === "string" ? answer : ""))) {
      return show(new Map(), 422, undefined, t("errors.bot_check"));
    }
  }
  try {
    await spendSubmission(c);
    const submitted = await submitOnce(c.env, parsed.data, locale, { key: token, scope: "form" });
    return page(c, <SubmittedPage locale={locale} t={t} submitted={submitted} />, 201);
  } catch (error) {
    if (!(error instanceof AttachmentsMissing)) throw error;
    values.attachments = ids.filter((_, i) => !error.indexes.includes(i));
    return show(new Map([["attachments", t("errors.attachment_unknown")]]), 422);
  }
});
