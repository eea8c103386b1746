import { GENDERS, IDENTIFIER_TYPES, LIMITS, SCRIPTS, TARGET_KINDS } from "../../worker/domain/recommendation.ts";
import { countryOptions } from "../countries.ts";
import { Checkbox, Choice, type FormState, RepeatGroup, RepeatText, Select, TextArea, TextInput } from "./form.tsx";

/** Scripts by their name in the reader's language ("Arabic", «арабица»), the rest as "another script". */
export function scriptOptions(f: FormState): (readonly [string, string])[] {
  const names = new Intl.DisplayNames([f.locale], { type: "script", fallback: "code" });
  return SCRIPTS.map((s) => [s, s === "Other" ? f.t("field.target.script.other") : (names.of(s) ?? s)] as const);
}

/**
 * One target: who they are, the names they go by, where they are and what
 * office they held. `basic`: only what the one-page form asks (version 1).
 */
export function TargetFields({ f, basic = false }: { f: FormState; basic?: boolean }) {
  const { t } = f;
  const countries = countryOptions(f.locale);
  const date = t("form.date_hint");
  return (
    <>
      <Choice
        f={f}
        path="target.kind"
        label="field.target.kind"
        required
        options={TARGET_KINDS.map((k) => [k, t(`field.target.kind.${k}`)] as const)}
      />
      <TextInput f={f} path="target.name" label="field.target.name" required />
      {basic ? null : <Select f={f} path="target.script" label="field.target.script" options={scriptOptions(f)} />}
      <TextInput
        f={f}
        path="target.name_latin"
        label="field.target.name_latin"
        hint={t("field.target.name_latin.hint")}
      />
      {basic ? null : (
        <fieldset class="field">
          <legend>{t("field.target.name_parts")}</legend>
          <TextInput f={f} path="target.name_parts.given" label="field.target.name_parts.given" />
          <TextInput f={f} path="target.name_parts.family" label="field.target.name_parts.family" />
          <TextInput f={f} path="target.name_parts.patronymic" label="field.target.name_parts.patronymic" />
        </fieldset>
      )}
      <RepeatText f={f} path="target.aliases" label="field.target.aliases" max={LIMITS.listItems} />
      {basic ? null : (
        <Choice
          f={f}
          path="target.gender"
          label="field.target.gender"
          options={GENDERS.map((g) => [g, t(`gender.${g}`)] as const)}
        />
      )}
      <TextInput f={f} path="target.birth_date" label="field.target.birth_date" hint={date} type="date" />
      <TextInput f={f} path="target.birth_place" label="field.target.birth_place" />
      <RepeatGroup
        f={f}
        path="target.nationalities"
        label="field.target.nationalities"
        max={10}
        row={(i) => (
          <Select
            f={f}
            path={`target.nationalities[${i}]`}
            name="target.nationalities[]"
            label="field.target.nationalities"
            row={i + 1}
            options={countries}
          />
        )}
      />
      <RepeatGroup
        f={f}
        path="target.identifiers"
        label="field.target.identifiers"
        max={20}
        row={(i) => (
          <>
            <Select
              f={f}
              path={`target.identifiers[${i}].type`}
              label="field.target.identifiers.type"
              options={IDENTIFIER_TYPES.map((k) => [k, t(`identifier.${k}`)] as const)}
            />
            <TextInput f={f} path={`target.identifiers[${i}].number`} label="field.target.identifiers.number" />
            <Select
              f={f}
              path={`target.identifiers[${i}].country`}
              label="field.target.identifiers.country"
              options={countries}
            />
          </>
        )}
      />
      {basic ? null : (
        <RepeatGroup
          f={f}
          path="target.addresses"
          label="field.target.addresses"
          max={20}
          row={(i) => (
            <>
              <TextInput f={f} path={`target.addresses[${i}].text`} label="field.target.addresses.text" />
              <Select
                f={f}
                path={`target.addresses[${i}].country`}
                label="field.target.addresses.country"
                options={countries}
              />
            </>
          )}
        />
      )}
      <RepeatGroup
        f={f}
        path="target.positions"
        label="field.target.positions"
        max={20}
        row={(i) => (
          <>
            <TextInput f={f} path={`target.positions[${i}].title`} label="field.target.positions.title" />
            <TextInput f={f} path={`target.positions[${i}].organization`} label="field.target.positions.organization" />
            <Select
              f={f}
              path={`target.positions[${i}].country`}
              label="field.target.positions.country"
              options={countries}
            />
            <TextInput
              f={f}
              path={`target.positions[${i}].from`}
              label="field.target.positions.from"
              hint={date}
              type="date"
            />
            <TextInput f={f} path={`target.positions[${i}].to`} label="field.target.positions.to" type="date" />
            {basic ? null : (
              <Checkbox
                f={f}
                path={`target.positions[${i}].public_official`}
                label="field.target.positions.public_official"
              />
            )}
          </>
        )}
      />
      <TextArea f={f} path="target.assets" label="field.target.assets" hint={t("field.target.assets.hint")} rows={3} />
    </>
  );
}
