import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { translator } from "../../web/i18n/index.ts";
import { IntakeForm } from "../../web/pages/IntakeForm.tsx";
import { page } from "../../web/render.ts";
import { isLocale, negotiate } from "../domain/locales.ts";
import type { AppEnv } from "../env.ts";

/** The public front door: language choice and the intake form. */
export const intake = new Hono<AppEnv>();

intake.get("/", (c) => {
  const locale = negotiate(getCookie(c, "lang"), c.req.header("Accept-Language"));
  c.header("Vary", "Cookie, Accept-Language");
  return c.redirect(`/${locale}/`, 302);
});

intake.get("/:locale{[a-z]{2}}/", (c) => {
  const locale = c.req.param("locale");
  if (!isLocale(locale)) return c.notFound();
  return page(c, <IntakeForm locale={locale} t={translator(locale)} />);
});
