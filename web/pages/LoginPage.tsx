import { StaffLayout } from "../components/Layout.tsx";
import type { StaffTranslate } from "../i18n/index.ts";

interface LoginPageProps {
  t: StaffTranslate;
  email?: string;
  failed?: boolean;
  next?: string;
}

export function LoginPage({ t, email, failed, next }: LoginPageProps) {
  return (
    <StaffLayout title={t("login.title")} locale={t.locale}>
      <h1>{t("login.title")}</h1>
      {failed ? (
        <p class="error-summary" role="alert">
          {t("login.failed")}
        </p>
      ) : null}
      <form method="post" action="/login" class="narrow">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <div class="field">
          <label for="email">{t("login.email")}</label>
          <input type="email" id="email" name="email" autocomplete="username" value={email ?? ""} required />
        </div>
        <div class="field">
          <label for="password">{t("login.password")}</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required />
        </div>
        <div class="field">
          <label for="code">{t("login.code")}</label>
          <p class="hint" id="code-hint">
            {t("login.code.hint")}
          </p>
          <input
            type="text"
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9 ]*"
            aria-describedby="code-hint"
            required
          />
        </div>
        <button type="submit">{t("login.submit")}</button>
      </form>
    </StaffLayout>
  );
}
