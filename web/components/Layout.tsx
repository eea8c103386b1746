import type { Child } from "hono/jsx";
import { direction, type Locale } from "../../worker/domain/locales.ts";
import type { Translate } from "../i18n/index.ts";

interface LayoutProps {
  locale: Locale;
  t: Translate;
  title: string;
  children: Child;
}

/** The document shell of every page: language and direction, one stylesheet, no script. */
export function Layout({ locale, t, title, children }: LayoutProps) {
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        <header class="site">
          <span class="brand">{t("app.name")}</span>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
