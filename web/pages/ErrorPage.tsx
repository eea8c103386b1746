import type { Locale } from "../../worker/domain/locales.ts";
import { PublicLayout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";

export function ErrorPage({ locale, t, message }: { locale: Locale; t: Translate; message: string }) {
  return (
    <PublicLayout locale={locale} t={t} title={t("error.title")}>
      <h1>{t("error.title")}</h1>
      <p>{message}</p>
    </PublicLayout>
  );
}
