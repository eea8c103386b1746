import { JURISDICTIONS, LIMITS } from "../../worker/domain/recommendation.ts";
import { Attachments } from "../components/Attachments.tsx";
import { ConductFields, ContactFields, SafetyFields } from "../components/CaseSections.tsx";
import { ErrorSummary } from "../components/ErrorSummary.tsx";
import type { FileView } from "../components/FileList.tsx";
import { Choice, type FormState, RepeatText, TextArea } from "../components/form.tsx";
import { PublicLayout } from "../components/Layout.tsx";
import { OpenDraft } from "../components/OpenDraft.tsx";
import { TargetFields } from "../components/TargetFields.tsx";

interface IntakeFormProps extends FormState {
  /** One-time token: a resend of the same form returns the first answer instead of a second recommendation. */
  token: string;
  /** Files already received for this form (kept when it is shown again). */
  received?: readonly FileView[];
  /** Turnstile's site key, when the deployment asks for the check. */
  /** The bot check, when the deployment has it: its site key and script. */
  turnstile?: { siteKey: string; script: string };
  /** A problem with the whole form (not one field), shown at the top. */
  problem?: string;
  /** The code of the draft this form was opened from (saving again keeps it). */
  draft?: string;
  /** A confirmation shown at the top (a draft opened). */
  notice?: string;
}

/** The public intake form: server-rendered, complete without JavaScript. */
export function IntakeForm(props: IntakeFormProps) {
  const f: FormState = props;
  const { t, locale, token } = props;
  return (
    <PublicLayout
      locale={locale}
      t={t}
      title={t("form.title")}
      failed={props.errors.size > 0}
      uploads
      form
      keeps={{
        form: "intake",
        enter: (
          <button type="submit" form="intake" hidden>
            {t("form.submit")}
          </button>
        ),
      }}
      path="/recommendations"
      scripts={props.turnstile ? [props.turnstile.script] : []}
    >
      <h1>{t("form.title")}</h1>
      {props.problem ? (
        <p class="error-summary" role="alert">
          {props.problem}
        </p>
      ) : null}
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorSummary f={f} />
      <p class="notice">
        <a href={`/${locale}/form`}>{t("case.link")}</a>
      </p>
      <p>{t("form.intro")}</p>
      <p class="note">{t("form.privacy")}</p>
      <p class="note" data-testid="safety-advice">
        {t("form.safety")}
      </p>
      <form
        id="intake"
        method="post"
        action={`/${locale}/recommendations`}
        enctype="multipart/form-data"
        data-warn-unsaved
        novalidate
      >
        <input type="hidden" name="_token" value={token} />
        {props.draft ? <input type="hidden" name="_draft" value={props.draft} /> : null}
        <fieldset class="section">
          <legend>{t("form.section.submitter")}</legend>
          <p class="hint">{t("form.section.submitter.hint")}</p>
          <ContactFields f={f} />
          <TextArea f={f} path="submitter.partners" label="field.submitter.partners" rows={2} />
        </fieldset>
        <fieldset class="section">
          <legend>{t("form.section.target")}</legend>
          <p class="hint">{t("form.section.target.hint")}</p>
          <TargetFields f={f} basic />
        </fieldset>
        <fieldset class="section">
          <legend>{t("form.section.conduct")}</legend>
          <p class="hint">{t("form.section.conduct.hint")}</p>
          <ConductFields f={f} />
        </fieldset>
        <fieldset class="section">
          <legend>{t("form.section.jurisdictions")}</legend>
          <Choice
            f={f}
            path="jurisdictions"
            label="field.jurisdictions"
            hint={t("form.section.jurisdictions.hint")}
            required
            multiple
            options={JURISDICTIONS.map((k) => [k, t(`jurisdiction.${k}`)] as const)}
          />
        </fieldset>
        <fieldset class="section">
          <legend>{t("form.section.evidence")}</legend>
          <p class="hint">{t("form.section.evidence.hint")}</p>
          <TextArea
            f={f}
            path="evidence.description"
            label="field.evidence.description"
            hint={t("field.evidence.description.hint")}
            required
            rows={4}
          />
          <RepeatText
            f={f}
            path="evidence.links"
            label="field.evidence.links"
            hint={t("field.evidence.links.hint")}
            max={LIMITS.listItems}
            type="url"
          />
          <Attachments f={f} received={props.received ?? []} />
          <TextArea
            f={f}
            path="evidence.exculpatory"
            label="field.evidence.exculpatory"
            hint={t("field.evidence.exculpatory.hint")}
            rows={3}
          />
        </fieldset>
        <fieldset class="section">
          <legend>{t("form.section.safety")}</legend>
          <p class="hint">{t("form.section.safety.hint")}</p>
          <SafetyFields f={f} />
        </fieldset>
        {props.turnstile ? (
          <div class="cf-turnstile" data-sitekey={props.turnstile.siteKey} data-language={locale} />
        ) : null}
        <button type="submit">{t("form.submit")}</button>{" "}
        <button type="submit" name="intent" value="save_draft" class="secondary">
          {t("draft.save")}
        </button>
      </form>
      <OpenDraft locale={locale} t={t} />
    </PublicLayout>
  );
}
