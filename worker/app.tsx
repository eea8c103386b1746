import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { isMessageId, type MessageId, translator } from "../web/i18n/index.ts";
import { ErrorPage } from "../web/pages/ErrorPage.tsx";
import { page } from "../web/render.ts";
import { BACKUP_PATH } from "./domain/backup.ts";
import { formatBytes } from "./domain/bytes.ts";
import { AppError, errorCode, type Said } from "./domain/errors.ts";
import { isLocale, negotiate } from "./domain/locales.ts";
import type { AppEnv } from "./env.ts";
import { admin } from "./routes/admin.tsx";
import { api } from "./routes/api.ts";
import { apiDocs } from "./routes/api-docs.tsx";
import { auth } from "./routes/auth.tsx";
import { backup } from "./routes/backup.ts";
import { caseForm } from "./routes/case-form.tsx";
import { dashboard } from "./routes/dashboard.tsx";
import { intake } from "./routes/intake.tsx";
import { review } from "./routes/review.tsx";
import { status } from "./routes/status.tsx";
import { maxUploadBytes, uploads } from "./routes/uploads.ts";
import { wellKnown } from "./routes/well-known.ts";
import { bodyLimits } from "./security/body-limits.ts";
import { requireCsrfToken } from "./security/csrf.ts";
import { loadSession } from "./security/session.ts";
import { TURNSTILE_ORIGIN, turnstileSiteKey } from "./security/turnstile.ts";

const app = new Hono<AppEnv>();

app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      // Turnstile's script and frame, only where the deployment turned it on.
      scriptSrc: ["'self'", (c) => (turnstileSiteKey(c.env) ? TURNSTILE_ORIGIN : "")],
      frameSrc: [(c) => (turnstileSiteKey(c.env) ? TURNSTILE_ORIGIN : "'none'")],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    crossOriginEmbedderPolicy: false,
    xFrameOptions: "DENY",
  }),
);

// The interface language: the path's locale on public pages, else the cookie
// and Accept-Language (API messages, staff pages).
app.use(async (c, next) => {
  const first = c.req.path.split("/")[1];
  c.set("locale", isLocale(first) ? first : negotiate(getCookie(c, "lang"), c.req.header("Accept-Language")));
  await next();
});

// Every page the Worker renders is personal or carries a one-time token:
// never stored by the browser or a proxy. (Static files are served before the Worker.)
app.use(async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

// Browsers send Origin on every cross-site form post; refuse those outright.
// Uploads carry no cookie and no form, so tus clients without an Origin may use them.
const sameOrigin = csrf();
app.use((c, next) => (c.req.path.startsWith("/uploads") ? next() : sameOrigin(c, next)));
app.use(bodyLimits(["/uploads", BACKUP_PATH]));
app.use(loadSession());

// Staff forms also carry a per-session token.
for (const path of ["/review/*", "/admin/*", "/logout"]) app.use(path, requireCsrfToken());

app.route("/", intake);
app.route("/", caseForm);
app.route("/", status);
app.route("/", auth);
app.route("/review", review);
app.route("/dashboard", dashboard);
// Before /admin: the backup's routes take a token, not a signed-in admin.
app.route(BACKUP_PATH, backup);
app.route("/admin", admin);
app.route("/api/docs", apiDocs);
app.route("/api", api);
app.route("/uploads", uploads);
app.route("/.well-known", wellKnown);

/** What an error page says, in the reader's language (never the exception's own English text). */
function pageMessage(status: number): MessageId {
  if (status === 404) return "error.not_found";
  if (status === 403) return "error.forbidden";
  if (status < 500) return "error.bad_request";
  return "error.server";
}

function wantsJson(path: string): boolean {
  return path.startsWith("/api/") || path.startsWith("/uploads") || path.startsWith(BACKUP_PATH);
}

app.notFound((c) => {
  const t = translator(c.get("locale"));
  if (wantsJson(c.req.path)) return c.json({ error: { code: "not_found", message: "Not found." } }, 404);
  return page(c, <ErrorPage locale={c.get("locale")} t={t} message={t("error.not_found")} />, 404);
});

app.onError((err, c) => {
  const t = translator(c.get("locale") ?? "en");
  const json = wantsJson(c.req.path);
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    const say = (s: Said) => (isMessageId(s.key) ? t(s.key, s.params) : s.key);
    const message = err.said ? say(err.said) : err.message;
    if (json) {
      const { code: _, fields, ...details } = err.details;
      const said = fields?.map(({ path, ...s }) => ({ path, message: say(s) }));
      return c.json({ error: { code: err.code, message, ...details, ...(said ? { fields: said } : {}) } }, err.status);
    }
    // A form too large to read: nothing of it was stored; the page says how to send the files another way.
    const help =
      err.status === 413 && err.said?.key === "errors.body_too_large"
        ? t("errors.body_too_large.help", { max: formatBytes(maxUploadBytes(c.env)) })
        : undefined;
    return page(c, <ErrorPage locale={c.get("locale") ?? "en"} t={t} message={message} help={help} />, err.status);
  }
  // Hono's own refusals (its CSRF check, a malformed body) and anything unexpected.
  const status = err instanceof HTTPException ? err.status : 500;
  if (status >= 500) console.error("unhandled error", err instanceof Error ? err.stack : String(err));
  const message = t(pageMessage(status));
  if (json) return c.json({ error: { code: errorCode(status), message } }, status);
  return page(c, <ErrorPage locale={c.get("locale") ?? "en"} t={t} message={message} />, status);
});

export default app;
