import { type CaseDraft, type FormPage, pagePath } from "../../worker/domain/case-form.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import { answerBlocks } from "../components/Answers.tsx";
import type { FileView } from "../components/FileList.tsx";
import { PublicLayout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";
import { pageTitle } from "./CasePages.tsx";

export function CaseReviewPage(props: {
  locale: Locale;
  t: Translate;
  draft: CaseDraft;
  files: readonly FileView[];
  /** Pages with problems, to finish first. */
  unfinished: readonly FormPage[];
  token: string;
  turnstile?: { siteKey: string; script: string };
  problem?: string;
}) {
  const { locale, t, draft } = props;
  const blocks = answerBlocks(t, locale, draft);
  return (
    <PublicLayout
      locale={locale}
      t={t}
      title={t("case.review")}
      path="/form/review"
      scripts={props.turnstile ? [props.turnstile.script] : []}
    >
      <p>
        <a href={`/${locale}/form`}>{t("case.back")}</a>
      </p>
      <h1>{t("case.review")}</h1>
      {props.problem ? (
        <p class="error-summary" role="alert">
          {props.problem}
        </p>
      ) : null}
      {props.unfinished.length > 0 ? (
        <div class="error-summary" role="alert" data-testid="unfinished">
          <h2>{t("case.review.problems")}</h2>
          <ul>
            {props.unfinished.map((page) => (
              <li>
                <a href={`/${locale}/form/${pagePath(page)}`}>{pageTitle(t, page)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {blocks.map(({ page, rows }) => (
        <section class="review">
          <h2>
            {pageTitle(t, page)}{" "}
            <a href={`/${locale}/form/${pagePath(page)}`} class="change">
              {t("case.change")}
            </a>
          </h2>
          {rows.length === 0 && !("section" in page && page.section === "evidence") ? (
            <p class="note">{t("case.not_answered")}</p>
          ) : (
            <dl>
              {rows.map(([name, text]) => (
                <>
                  <dt>{name}</dt>
                  <dd dir="auto">{text}</dd>
                </>
              ))}
              {"section" in page && page.section === "evidence"
                ? props.files.map((file) => (
                    <>
                      <dt>{t("field.attachments")}</dt>
                      <dd dir="auto">{file.name}</dd>
                    </>
                  ))
                : null}
            </dl>
          )}
        </section>
      ))}
      {props.unfinished.length === 0 ? (
        <form method="post" action={`/${locale}/form/send`}>
          <input type="hidden" name="_token" value={props.token} />
          <p class="hint">{t("case.review.hint")}</p>
          {props.turnstile ? (
            <div class="cf-turnstile" data-sitekey={props.turnstile.siteKey} data-language={locale} />
          ) : null}
          <button type="submit">{t("case.send")}</button>
        </form>
      ) : null}
    </PublicLayout>
  );
}
