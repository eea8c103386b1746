import type { Child } from "hono/jsx";
import type { FormPage, PageStatus, Section } from "../../worker/domain/case-form.ts";
import { pagePath } from "../../worker/domain/case-form.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import { SECTION_FIELDS } from "../components/CaseSections.tsx";
import { ErrorSummary } from "../components/ErrorSummary.tsx";
import type { FileView } from "../components/FileList.tsx";
import type { FormState } from "../components/form.tsx";
import { PublicLayout } from "../components/Layout.tsx";
import { OpenDraft } from "../components/OpenDraft.tsx";
import { TargetFields } from "../components/TargetFields.tsx";
import type { Translate } from "../i18n/index.ts";

/** The case file in steps: the task list, one page per part, the check before sending. */

const FORM_ID = "case";

export function pageTitle(t: Translate, page: FormPage): string {
  return "target" in page ? t("case.target_n", { n: page.target + 1 }) : t(`case.section.${page.section}`);
}

export interface TaskRow {
  page: FormPage;
  /** The target's name, when the page is a target's. */
  name?: string;
  status: PageStatus;
}

export function TaskListPage(props: {
  locale: Locale;
  t: Translate;
  targets: readonly TaskRow[];
  sections: readonly TaskRow[];
  canAddTarget: boolean;
  notice?: string;
}) {
  const { locale, t } = props;
  const row = ({ page, name, status }: TaskRow) => (
    <li>
      <a href={`/${locale}/form/${pagePath(page)}`} aria-describedby={`status-${pagePath(page).replace("/", "-")}`}>
        {pageTitle(t, page)}
        {name ? <span dir="auto">{`: ${name}`}</span> : null}
      </a>
      <span class={`tag ${status}`} id={`status-${pagePath(page).replace("/", "-")}`} data-status={status}>
        {t(`case.status.${status}`)}
      </span>
    </li>
  );
  return (
    <PublicLayout locale={locale} t={t} title={t("case.title")} path="/form">
      <h1>{t("case.title")}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>{t("case.intro")}</p>
      <p class="note" data-testid="safety-advice">
        {t("form.safety")}
      </p>
      <h2>{t("case.targets")}</h2>
      <ul class="tasks">{props.targets.map(row)}</ul>
      {props.canAddTarget ? (
        <p>
          <a href={`/${locale}/form/target/${props.targets.length + 1}`}>{t("case.add_target")}</a>
        </p>
      ) : null}
      <ul class="tasks">{props.sections.map(row)}</ul>
      <p>
        <a class="button" href={`/${locale}/form/review`}>
          {t("case.review")}
        </a>
      </p>
      <OpenDraft locale={locale} t={t} />
    </PublicLayout>
  );
}

/** The buttons under every page: continue (to the task list), save for later. */
function PageButtons({ t, extra }: { t: Translate; extra?: Child }) {
  return (
    <p class="actions">
      <button type="submit" name="intent" value="continue">
        {t("case.continue")}
      </button>{" "}
      <button type="submit" name="intent" value="save_draft" class="secondary">
        {t("draft.save")}
      </button>{" "}
      {extra}
    </p>
  );
}

export function CaseSectionPage(
  props: FormState & {
    page: FormPage;
    targetNames: readonly string[];
    received: readonly FileView[];
    /** Whether the target on this page is saved (and so can be removed). */
    removable?: boolean;
    problem?: string;
  },
) {
  const { locale, t, page } = props;
  const f: FormState = props;
  const path = `/form/${pagePath(page)}`;
  const evidence = "section" in page && page.section === "evidence";
  const hint = "section" in page ? t(`case.section.${page.section}.hint` as `case.section.${Section}.hint`) : undefined;
  const Fields = "section" in page ? SECTION_FIELDS[page.section] : undefined;
  return (
    <PublicLayout
      locale={locale}
      t={t}
      title={pageTitle(t, page)}
      failed={f.errors.size > 0}
      path={path}
      uploads={evidence}
      form
      keeps={{
        form: FORM_ID,
        enter: (
          <button type="submit" form={FORM_ID} name="intent" value="continue" hidden>
            {t("case.continue")}
          </button>
        ),
      }}
    >
      <p>
        <a href={`/${locale}/form`}>{t("case.back")}</a>
      </p>
      <h1>{pageTitle(t, page)}</h1>
      {props.problem ? (
        <p class="error-summary" role="alert">
          {props.problem}
        </p>
      ) : null}
      <ErrorSummary f={f} />
      {hint ? <p class="hint">{hint}</p> : null}
      <form
        id={FORM_ID}
        method="post"
        action={`/${locale}${path}`}
        enctype={evidence ? "multipart/form-data" : undefined}
        data-warn-unsaved
        novalidate
      >
        {Fields ? <Fields f={f} targetNames={props.targetNames} received={props.received} /> : <TargetFields f={f} />}
        <PageButtons
          t={t}
          extra={
            props.removable ? (
              <button type="submit" name="intent" value="remove" class="secondary">
                {t("case.remove_target")}
              </button>
            ) : undefined
          }
        />
      </form>
    </PublicLayout>
  );
}
