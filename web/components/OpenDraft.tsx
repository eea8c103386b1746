import type { Locale } from "../../worker/domain/locales.ts";
import type { Translate } from "../i18n/index.ts";

/** Both forms' "continue a saved draft" box (a draft code from another browser). */
export function OpenDraft({ locale, t }: { locale: Locale; t: Translate }) {
  return (
    <details class="draft-open">
      <summary>{t("draft.open.title")}</summary>
      <form method="post" action={`/${locale}/drafts/open`}>
        <label for="draft_code">{t("draft.code")}</label>
        <input id="draft_code" name="draft_code" autocomplete="off" dir="ltr" spellcheck={false} />
        <button type="submit">{t("draft.open.submit")}</button>
      </form>
    </details>
  );
}
