import type { Locale } from "../../worker/domain/locales.ts";
import { TARGET_KINDS } from "../../worker/domain/recommendation.ts";
import { Field } from "../components/Field.tsx";
import { Layout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";

interface IntakeFormProps {
  locale: Locale;
  t: Translate;
}

/** The public intake form (server-rendered, no script needed). */
export function IntakeForm({ locale, t }: IntakeFormProps) {
  const req = t("form.required");
  return (
    <Layout locale={locale} t={t} title={t("form.title")}>
      <h1>{t("form.title")}</h1>
      <p>{t("form.intro")}</p>
      <form method="post" action={`/${locale}/recommendations`} enctype="multipart/form-data">
        <fieldset>
          <legend>{t("form.section.submitter")}</legend>
          <Field name="submitter.organization" label={t("field.submitter.organization")} required requiredText={req}>
            {(a) => <input type="text" autocomplete="organization" {...a} />}
          </Field>
          <Field name="submitter.contact_name" label={t("field.submitter.contact_name")} required requiredText={req}>
            {(a) => <input type="text" autocomplete="name" {...a} />}
          </Field>
          <Field name="submitter.contact_email" label={t("field.submitter.contact_email")} required requiredText={req}>
            {(a) => <input type="email" autocomplete="email" {...a} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t("form.section.target")}</legend>
          <Field name="target.kind" label={t("field.target.kind")} required requiredText={req}>
            {(a) => (
              <select {...a}>
                <option value="">{t("option.choose")}</option>
                {TARGET_KINDS.map((kind) => (
                  <option value={kind}>{t(`option.${kind}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field name="target.name" label={t("field.target.name")} required requiredText={req}>
            {(a) => <input type="text" {...a} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t("form.section.conduct")}</legend>
          <Field name="conduct.summary" label={t("field.conduct.summary")} required requiredText={req}>
            {(a) => <textarea rows={8} {...a} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t("form.section.evidence")}</legend>
          <Field name="evidence.description" label={t("field.evidence.description")} required requiredText={req}>
            {(a) => <textarea rows={5} {...a} />}
          </Field>
        </fieldset>
        <button type="submit">{t("form.submit")}</button>
      </form>
    </Layout>
  );
}
