import type { Locale } from "../../worker/domain/locales.ts";
import { PublicLayout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";

/** The answer to "save and continue later": the draft code, once, and a way back into the form. */
export function DraftSavedPage({ locale, t, code }: { locale: Locale; t: Translate; code: string }) {
  return (
    <PublicLayout locale={locale} t={t} title={t("draft.saved.title")}>
      <h1>{t("draft.saved.title")}</h1>
      <dl class="receipt">
        <dt>{t("draft.code")}</dt>
        <dd>
          <output class="code" data-testid="draft-code" dir="ltr" aria-describedby="draft-hint">
            {code}
          </output>
        </dd>
      </dl>
      <p id="draft-hint" class="warning">
        {t("draft.saved.hint")}
      </p>
      <form method="post" action={`/${locale}/drafts/open`}>
        <input type="hidden" name="draft_code" value={code} />
        <button type="submit">{t("draft.continue")}</button>
      </form>
    </PublicLayout>
  );
}
