import type { StaffMember } from "../../worker/env.ts";
import { StaffLayout } from "../components/Layout.tsx";
import type { StaffTranslate } from "../i18n/index.ts";

/**
 * The second page of an action that cannot be taken back (a rejection, a
 * government's answer): what it will do, in words, and the same form once
 * more with everything typed, to confirm. Works without JavaScript.
 */
export function ConfirmPage(props: {
  t: StaffTranslate;
  staff: StaffMember;
  title: string;
  /** What will happen, a sentence a line. */
  lines: readonly string[];
  /** Where the confirmed form goes, and what it carries. */
  action: string;
  fields: readonly (readonly [string, string])[];
  yes: string;
  back: string;
}) {
  const { t } = props;
  return (
    <StaffLayout title={props.title} locale={t.locale}>
      <section class="panel danger" aria-labelledby="confirm-title" data-testid="confirm">
        <h1 id="confirm-title">{props.title}</h1>
        {props.lines.map((line) => (
          <p dir="auto">{line}</p>
        ))}
        <form method="post" action={props.action}>
          <input type="hidden" name="_csrf" value={props.staff.csrf} />
          {props.fields.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="confirmed" value="yes" />
          <button type="submit" class="danger">
            {props.yes}
          </button>{" "}
          <a href={props.back}>{t("confirm.back")}</a>
        </form>
      </section>
    </StaffLayout>
  );
}
