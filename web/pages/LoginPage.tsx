import type { Locale } from "../../worker/domain/locales.ts";
import { Field } from "../components/Field.tsx";
import { Layout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";

interface LoginPageProps {
  locale: Locale;
  t: Translate;
  email?: string;
  failed?: boolean;
  next?: string;
}

export function LoginPage({ locale, t, email, failed, next }: LoginPageProps) {
  const req = t("form.required");
  return (
    <Layout locale={locale} t={t} title={t("login.title")}>
      <h1>{t("login.title")}</h1>
      {failed ? (
        <p class="error-summary" role="alert">
          {t("login.failed")}
        </p>
      ) : null}
      <form method="post" action="/login" class="narrow">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field name="email" label={t("login.email")} required requiredText={req}>
          {(a) => <input type="email" autocomplete="username" value={email ?? ""} {...a} />}
        </Field>
        <Field name="password" label={t("login.password")} required requiredText={req}>
          {(a) => <input type="password" autocomplete="current-password" {...a} />}
        </Field>
        <button type="submit">{t("login.submit")}</button>
      </form>
    </Layout>
  );
}
