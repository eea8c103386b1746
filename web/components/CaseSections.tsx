import type { Section } from "../../worker/domain/case-form.ts";
import {
  CATEGORIES,
  EVIDENCE_KINDS,
  INVOLVEMENTS,
  INVOLVEMENTS_V2,
  JURISDICTIONS,
  LIMITS,
  LIMITS_V2,
  RELATION_KINDS,
  RISK_LEVELS,
  UNDECIDED,
  VICTIM_PROFILES,
} from "../../worker/domain/recommendation.ts";
import { countryOptions } from "../countries.ts";
import { Attachments } from "./Attachments.tsx";
import type { FileView } from "./FileList.tsx";
import { Checkbox, Choice, type FormState, RepeatGroup, RepeatText, Select, TextArea, TextInput } from "./form.tsx";

/** The fields of each page of the case file after the targets (whose page is TargetFields). */
export interface SectionProps {
  f: FormState;
  /** The targets named so far, for the relations page to pick from. */
  targetNames: readonly string[];
  /** Files received for the evidence page. */
  received: readonly FileView[];
}

function yesNo(f: FormState) {
  return [
    ["yes", f.t("form.yes")],
    ["no", f.t("form.no")],
  ] as const;
}

/** Who sends it and how to reach them: the same in both forms. */
export function ContactFields({ f }: { f: FormState }) {
  const countries = countryOptions(f.locale);
  return (
    <>
      <TextInput
        f={f}
        path="submitter.organization"
        label="field.submitter.organization"
        required
        autocomplete="organization"
      />
      <Select f={f} path="submitter.country" label="field.submitter.country" required options={countries} />
      <TextInput
        f={f}
        path="submitter.contact_name"
        label="field.submitter.contact_name"
        required
        autocomplete="name"
      />
      <TextInput
        f={f}
        path="submitter.contact_email"
        label="field.submitter.contact_email"
        hint={f.t("field.submitter.contact_email.hint")}
        required
        type="email"
        autocomplete="email"
      />
      <Checkbox f={f} path="submitter.notify" label="field.submitter.notify" />
      <TextInput
        f={f}
        path="submitter.contact_phone"
        label="field.submitter.contact_phone"
        type="tel"
        autocomplete="tel"
      />
      <Choice
        f={f}
        path="submitter.may_be_named"
        label="field.submitter.may_be_named"
        hint={f.t("field.submitter.may_be_named.hint")}
        required
        options={yesNo(f)}
      />
    </>
  );
}

function Organisation({ f }: SectionProps) {
  const countries = countryOptions(f.locale);
  return (
    <>
      <ContactFields f={f} />
      <TextArea
        f={f}
        path="submitter.about"
        label="field.submitter.about"
        hint={f.t("field.submitter.about.hint")}
        rows={3}
      />
      <RepeatGroup
        f={f}
        path="co_signers"
        label="field.co_signers"
        max={LIMITS_V2.coSigners}
        row={(i) => (
          <>
            <TextInput f={f} path={`co_signers[${i}].organization`} label="field.co_signers.organization" />
            <Select f={f} path={`co_signers[${i}].country`} label="field.co_signers.country" options={countries} />
            <Choice
              f={f}
              path={`co_signers[${i}].may_be_named`}
              label="field.co_signers.may_be_named"
              options={yesNo(f)}
            />
          </>
        )}
      />
    </>
  );
}

function Relations({ f, targetNames }: SectionProps) {
  const targets = targetNames.map((name, i) => [String(i), `${i + 1}. ${name}`] as const);
  return (
    <RepeatGroup
      f={f}
      path="relations"
      label="field.relations"
      max={LIMITS_V2.relations}
      row={(i) => (
        <>
          <Select f={f} path={`relations[${i}].from`} label="field.relations.from" options={targets} />
          <Select
            f={f}
            path={`relations[${i}].kind`}
            label="field.relations.kind"
            options={RELATION_KINDS.map((k) => [k, f.t(`relation.${k}`)] as const)}
          />
          <Select
            f={f}
            path={`relations[${i}].to`}
            label="field.relations.to"
            options={[...targets, ["null", f.t("field.relations.to.none")] as const]}
          />
          <TextInput f={f} path={`relations[${i}].name`} label="field.relations.name" />
          <TextInput f={f} path={`relations[${i}].note`} label="field.relations.note" />
        </>
      )}
    />
  );
}

/**
 * What they did: the same in both forms, but for how they took part (one
 * answer in the one-page form; several or "not sure" in the case file, with
 * "I do not know when it started" and the victims' profiles).
 */
export function ConductFields({ f, full = false }: { f: FormState; full?: boolean }) {
  const { t } = f;
  const date = t("form.date_hint");
  return (
    <>
      <Choice
        f={f}
        path="conduct.categories"
        label="field.conduct.categories"
        hint={t("field.conduct.categories.hint")}
        required
        multiple
        columns
        options={CATEGORIES.map((k) => [k, t(`category.${k}`)] as const)}
      />
      <Choice
        f={f}
        path="conduct.involvement"
        label="field.conduct.involvement"
        hint={full ? t("field.conduct.involvement.hint") : undefined}
        required
        multiple={full}
        options={(full ? INVOLVEMENTS_V2 : INVOLVEMENTS).map((k) => [k, t(`involvement.${k}`)] as const)}
      />
      <Select f={f} path="conduct.country" label="field.conduct.country" required options={countryOptions(f.locale)} />
      <TextInput
        f={f}
        path="conduct.period_start"
        label="field.conduct.period_start"
        hint={date}
        required
        type="date"
      />
      {full ? <Checkbox f={f} path="conduct.period_unknown" label="field.conduct.period_unknown" /> : null}
      <TextInput
        f={f}
        path="conduct.period_end"
        label="field.conduct.period_end"
        hint={t("field.conduct.period_end.hint")}
        type="date"
      />
      <TextArea
        f={f}
        path="conduct.summary"
        label="field.conduct.summary"
        hint={t("field.conduct.summary.hint", { min: LIMITS.summaryMin })}
        required
        rows={10}
      />
      <TextArea
        f={f}
        path="conduct.victims"
        label="field.conduct.victims"
        hint={t("field.conduct.victims.hint")}
        rows={3}
      />
      {full ? (
        <Choice
          f={f}
          path="conduct.victim_profiles"
          label="field.conduct.victim_profiles"
          multiple
          columns
          options={VICTIM_PROFILES.map((k) => [k, t(`victim.${k}`)] as const)}
        />
      ) : null}
    </>
  );
}

function Conduct({ f }: SectionProps) {
  return <ConductFields f={f} full />;
}

function Incidents({ f }: SectionProps) {
  return (
    <RepeatGroup
      f={f}
      path="conduct.incidents"
      label="field.conduct.incidents"
      max={LIMITS_V2.incidents}
      row={(i) => (
        <>
          <TextInput
            f={f}
            path={`conduct.incidents[${i}].date`}
            label="field.conduct.incidents.date"
            hint={f.t("form.date_hint")}
            type="date"
          />
          <Select
            f={f}
            path={`conduct.incidents[${i}].country`}
            label="field.conduct.incidents.country"
            options={countryOptions(f.locale)}
          />
          <TextInput f={f} path={`conduct.incidents[${i}].place`} label="field.conduct.incidents.place" />
          <TextArea
            f={f}
            path={`conduct.incidents[${i}].description`}
            label="field.conduct.incidents.description"
            rows={4}
          />
          <TextInput
            f={f}
            path={`conduct.incidents[${i}].victims_count`}
            label="field.conduct.incidents.victims_count"
            type="code"
          />
        </>
      )}
    />
  );
}

function Programmes({ f }: SectionProps) {
  const { t } = f;
  return (
    <>
      <Choice
        f={f}
        path="jurisdictions"
        label="field.jurisdictions"
        hint={t("form.section.jurisdictions.hint")}
        required
        multiple
        options={[...JURISDICTIONS, UNDECIDED].map((k) => [k, t(`jurisdiction.${k}`)] as const)}
      />
      <TextArea f={f} path="impact" label="field.impact" hint={t("field.impact.hint")} rows={4} />
    </>
  );
}

function Evidence({ f, received }: SectionProps) {
  const { t } = f;
  const yes = yesNo(f);
  return (
    <>
      <TextArea
        f={f}
        path="evidence.description"
        label="field.evidence.description"
        hint={t("field.evidence.description.hint")}
        required
        rows={4}
      />
      <RepeatGroup
        f={f}
        path="evidence.items"
        label="field.evidence.items"
        max={LIMITS_V2.items}
        row={(i) => (
          <>
            <Select
              f={f}
              path={`evidence.items[${i}].kind`}
              label="field.evidence.items.kind"
              options={EVIDENCE_KINDS.map((k) => [k, t(`evidence_kind.${k}`)] as const)}
            />
            <TextArea
              f={f}
              path={`evidence.items[${i}].description`}
              label="field.evidence.items.description"
              rows={3}
            />
            <TextInput f={f} path={`evidence.items[${i}].source`} label="field.evidence.items.source" />
            <TextInput f={f} path={`evidence.items[${i}].date`} label="field.evidence.items.date" type="date" />
            <TextInput f={f} path={`evidence.items[${i}].url`} label="field.evidence.items.url" type="url" />
            <TextInput
              f={f}
              path={`evidence.items[${i}].archive_url`}
              label="field.evidence.items.archive_url"
              type="url"
            />
            <Choice
              f={f}
              path={`evidence.items[${i}].consent.governments`}
              label="field.evidence.items.consent.governments"
              options={yes}
            />
            <Choice
              f={f}
              path={`evidence.items[${i}].consent.public`}
              label="field.evidence.items.consent.public"
              options={yes}
            />
          </>
        )}
      />
      <RepeatText
        f={f}
        path="evidence.links"
        label="field.evidence.links"
        hint={t("field.evidence.links.hint")}
        max={LIMITS.listItems}
        type="url"
      />
      <Attachments f={f} received={received} />
      <p class="note">{t("case.file_kept")}</p>
      <TextArea
        f={f}
        path="evidence.exculpatory"
        label="field.evidence.exculpatory"
        hint={t("field.evidence.exculpatory.hint")}
        rows={3}
      />
    </>
  );
}

/** The risk and consent questions: the same in both forms. */
export function SafetyFields({ f }: { f: FormState }) {
  const { t } = f;
  return (
    <>
      <Choice
        f={f}
        path="safety.risk_level"
        label="field.safety.risk_level"
        required
        options={RISK_LEVELS.map((k) => [k, t(`risk.${k}`)] as const)}
      />
      <TextArea f={f} path="safety.notes" label="field.safety.notes" hint={t("field.safety.notes.hint")} rows={3} />
      <Choice
        f={f}
        path="safety.consent_to_share"
        label="field.safety.consent_to_share"
        hint={t("field.safety.consent_to_share.hint")}
        required
        options={yesNo(f)}
      />
    </>
  );
}

/** Each section's fields. */
export const SECTION_FIELDS: Record<Section, (props: SectionProps) => ReturnType<typeof SafetyFields>> = {
  organisation: Organisation,
  relations: Relations,
  conduct: Conduct,
  incidents: Incidents,
  programmes: Programmes,
  evidence: Evidence,
  safety: SafetyFields,
};
