import type { RecommendationRow } from "../../worker/db/recommendations.ts";
import type { Step } from "../../worker/domain/workflow.ts";
import type { StaffMember } from "../../worker/env.ts";
import { StaffLayout } from "../components/Layout.tsx";
import type { StaffTranslate } from "../i18n/index.ts";

interface QueuePageProps {
  t: StaffTranslate;
  staff: StaffMember;
  rows: RecommendationRow[];
}

/** The reviewers' queue: newest activity first. */
export function QueuePage({ t, staff, rows }: QueuePageProps) {
  return (
    <StaffLayout title={t("queue.title")}>
      <div class="bar">
        <h1>{t("queue.title")}</h1>
        <form method="post" action="/logout">
          <span class="who">{staff.email}</span> <button type="submit">{t("logout.submit")}</button>
        </form>
      </div>
      {rows.length === 0 ? (
        <p>{t("queue.empty")}</p>
      ) : (
        <table class="queue">
          <thead>
            <tr>
              <th scope="col">{t("queue.reference")}</th>
              <th scope="col">{t("queue.target")}</th>
              <th scope="col">{t("queue.country")}</th>
              <th scope="col">{t("queue.step")}</th>
              <th scope="col">{t("queue.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-id={r.id}>
                <td>
                  <a href={`/review/${r.id}`}>{r.reference}</a>
                </td>
                <td>{r.targetName}</td>
                <td>{r.conductCountry}</td>
                <td>
                  {t(`step.${r.step as Step}`)}
                  {r.overdue ? <strong class="overdue"> · {t("queue.overdue")}</strong> : null}
                </td>
                <td>
                  <time datetime={r.updatedAt}>{r.updatedAt.slice(0, 16).replace("T", " ")}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}
