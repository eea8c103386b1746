import type { Locale } from "../../worker/domain/locales.ts";
import { PublicLayout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";

/** An error in the reader's language; `help` says what to do next (a form too large: how to send its files later). */
export function ErrorPage(props: { locale: Locale; t: Translate; message: string; help?: string }) {
  const { locale, t, message, help } = props;
  return (
    <PublicLayout locale={locale} t={t} title={t("error.title")}>
      <h1>{t("error.title")}</h1>
      <p role="alert">{message}</p>
      {help ? <p>{help}</p> : null}
      {help ? (
        <p>
          <a href={`/${locale}/status`}>{t("nav.status")}</a>
        </p>
      ) : null}
    </PublicLayout>
  );
}
