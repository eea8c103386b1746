import type { Child } from "hono/jsx";
import { direction, LOCALE_NAMES, LOCALES, type Locale, type StaffLocale } from "../../worker/domain/locales.ts";
import type { Translate } from "../i18n/index.ts";

interface DocumentProps {
  locale: Locale;
  title: string;
  brand: string;
  /** The "skip to the main content" link text; also the page's description. */
  skip?: string;
  description?: string;
  /** Scripts to load (deferred; each only enhances the page). */
  scripts?: string[];
  header?: Child;
  /** Before everything else in the body (a form's hidden default button: see PublicLayout's `keeps`). */
  first?: Child;
  /** The whole width of the screen (the queue), not the reading column. */
  wide?: boolean;
  /** A second stylesheet (staff pages). */
  stylesheet?: string;
  children: Child;
}

/** The document shell of every page: language and direction, one stylesheet (two for staff), scripts only to enhance. */
export function Document(props: DocumentProps) {
  const { locale, title, brand, skip, description, scripts, header, first, wide, stylesheet, children } = props;
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {description ? <meta name="description" content={description} /> : null}
        <title>{`${title} · ${brand}`}</title>
        <link rel="stylesheet" href="/style.css" />
        {stylesheet ? <link rel="stylesheet" href={stylesheet} /> : null}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {scripts?.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        {first}
        {skip ? (
          <a class="skip" href="#main">
            {skip}
          </a>
        ) : null}
        <header class="site">
          <span class="brand">{brand}</span>
          {header}
        </header>
        <main id="main" class={wide ? "wide" : undefined}>
          {children}
        </main>
      </body>
    </html>
  );
}

interface PublicLayoutProps {
  locale: Locale;
  t: Translate;
  title: string;
  /** The same page in another language: `/{locale}${path}` (default `/`). */
  path?: string;
  /** Whether the page has file inputs that upload resumably when JavaScript runs. */
  uploads?: boolean;
  /** Whether the page has a form to help along when JavaScript runs (web/public/form.js). */
  form?: boolean;
  /** More scripts (Turnstile's, when the deployment turns it on). */
  scripts?: string[];
  /**
   * The form whose answers a change of language keeps: each language is then
   * a button that posts the form to the same page in that language. Enter in
   * a field presses a form's first submit button in document order, which
   * would now be a language: `enter`, a hidden submit button of that form,
   * comes before them, so Enter does what the page's main button does.
   */
  keeps?: { form: string; enter: Child };
  /** The page comes back with something to correct: its title says "Error" first (screen readers announce it). */
  failed?: boolean;
  children: Child;
}

/** Pages a submitter sees: the language switcher and the two ways in (new recommendation, follow-up). */
export function PublicLayout(props: PublicLayoutProps) {
  const { locale, t, path = "/", uploads, form, scripts = [], keeps, children } = props;
  const title = props.failed ? t("error.title_prefix", { title: props.title }) : props.title;
  const header = (
    <>
      <nav class="site-nav" aria-label={t("app.name")}>
        <a href={`/${locale}/`}>{t("nav.form")}</a>
        <a href={`/${locale}/status`}>{t("nav.status")}</a>
      </nav>
      <nav class="languages" aria-label={t("nav.language")}>
        <ul>
          {LOCALES.map((l) => (
            <li>
              {keeps ? (
                <button
                  type="submit"
                  form={keeps.form}
                  formaction={`/${l}${path}`}
                  name="intent"
                  value="language"
                  lang={l}
                  aria-current={l === locale ? "true" : undefined}
                >
                  {LOCALE_NAMES[l]}
                </button>
              ) : (
                <a href={`/${l}${path}`} lang={l} hreflang={l} aria-current={l === locale ? "true" : undefined}>
                  {LOCALE_NAMES[l]}
                </a>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
  return (
    <Document
      locale={locale}
      title={title}
      brand={t("app.name")}
      skip={t("nav.skip")}
      description={t("app.tagline")}
      scripts={[...(form ? ["/form.js"] : []), ...(uploads ? ["/upload-loader.js"] : []), ...scripts]}
      header={header}
      first={keeps?.enter}
    >
      {children}
    </Document>
  );
}

/** Staff pages: in the staff member's language (English unless chosen), no language switcher; `wide` for tables that need the whole screen. */
export function StaffLayout(props: {
  title: string;
  /** The language of the page (the staff member's choice). */
  locale?: StaffLocale;
  wide?: boolean;
  scripts?: string[];
  children: Child;
}) {
  return (
    <Document
      locale={props.locale ?? "en"}
      title={props.title}
      brand="Dossier"
      wide={props.wide}
      scripts={props.scripts}
      stylesheet="/staff.css"
    >
      {props.children}
    </Document>
  );
}
