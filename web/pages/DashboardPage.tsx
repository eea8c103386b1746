import type { Programme } from "../../worker/domain/filings.ts";
import { JURISDICTIONS } from "../../worker/domain/recommendation.ts";
import type { Statistics } from "../../worker/domain/stats.ts";
import { STEPS } from "../../worker/domain/workflow.ts";
import { BarChart } from "../components/BarChart.tsx";
import { StaffLayout } from "../components/Layout.tsx";
import { countryName } from "../countries.ts";
import { type StaffTranslate, translator } from "../i18n/index.ts";

const publicEn = translator("en");
/** Programme names short enough for a chart's labels (the tables give them in full). */
const SHORT: Record<Programme, string> = {
  us_glomag: "US Global Magnitsky",
  us_7031c: "US 7031(c) visa bans",
  uk_global_human_rights: "UK Global Human Rights",
  uk_global_anti_corruption: "UK Anti-Corruption",
  eu_global_human_rights: "EU Human Rights",
  ca_magnitsky: "Canada Magnitsky",
  au_magnitsky: "Australia Magnitsky",
};
const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);
/** The largest counts first, at most `n`. */
const top = (counts: Record<string, number>, n: number) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n);

/**
 * The coalition's picture: where recommendations stand, what each
 * programme did with what was filed, and which governments have not yet
 * followed a designation. Charts are SVG drawn here, each with its table.
 */
export function DashboardPage({ t, stats }: { t: StaffTranslate; stats: Statistics }) {
  const programme = (p: string) => publicEn(`jurisdiction.${p as Programme}`);
  const countries = top(stats.by_country, 15);
  const categories = top(stats.by_category, 20);
  return (
    <StaffLayout title={t("dashboard.title")} locale={t.locale}>
      <div class="bar">
        <h1>{t("dashboard.title")}</h1>
        <a href="/review">{t("queue.title")}</a>
      </div>

      <CountSection
        id="by-step"
        title={t("dashboard.by_step", { total: stats.total })}
        chart={t("dashboard.by_step.chart")}
        column={t("queue.step")}
        t={t}
        rows={STEPS.filter((s) => stats.by_step[s]).map((s) => [t(`step.${s}`), stats.by_step[s] ?? 0])}
      />

      <section aria-labelledby="by-programme" class="panel">
        <h2 id="by-programme">{t("dashboard.by_programme")}</h2>
        <p>{t("dashboard.median", { days: stats.median_days ?? "–" })}</p>
        <BarChart
          id="chart-programmes"
          title={t("dashboard.by_programme.chart")}
          legend={[t("step.designated"), t("step.not_designated"), t("dashboard.pending")]}
          bars={JURISDICTIONS.map((p) => ({
            label: SHORT[p],
            parts: [
              stats.by_programme[p].designated,
              stats.by_programme[p].not_designated,
              stats.by_programme[p].pending,
            ],
          }))}
        />
        <table class="queue" data-testid="programmes">
          <thead>
            <tr>
              <th scope="col">{t("filings.programme")}</th>
              <th scope="col">{t("dashboard.filed")}</th>
              <th scope="col">{t("step.designated")}</th>
              <th scope="col">{t("step.not_designated")}</th>
              <th scope="col">{t("dashboard.pending")}</th>
              <th scope="col">{t("dashboard.share")}</th>
              <th scope="col">{t("dashboard.median_days")}</th>
            </tr>
          </thead>
          <tbody>
            {JURISDICTIONS.map((p) => {
              const f = stats.by_programme[p];
              return (
                <tr data-programme={p}>
                  <td>{programme(p)}</td>
                  <td>{f.filed}</td>
                  <td>{f.designated}</td>
                  <td>{f.not_designated}</td>
                  <td>{f.pending}</td>
                  <td>{percent(f.share_designated)}</td>
                  <td>{f.median_days ?? "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="gaps" class="panel">
        <h2 id="gaps">{t("dashboard.gaps", { count: stats.multilateral.count })}</h2>
        <p class="hint">{t("dashboard.gaps.hint")}</p>
        {stats.multilateral.items.length === 0 ? (
          <p>{t("dashboard.gaps.none")}</p>
        ) : (
          <table class="queue" data-testid="gaps">
            <thead>
              <tr>
                <th scope="col">{t("queue.reference")}</th>
                <th scope="col">{t("queue.target")}</th>
                <th scope="col">{t("dashboard.designated_by")}</th>
                <th scope="col">{t("dashboard.awaiting")}</th>
                <th scope="col">{t("dashboard.declined")}</th>
                <th scope="col">{t("dashboard.not_filed")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.multilateral.items.map((g) => (
                <tr data-id={g.rec_id}>
                  <td>
                    <a href={`/review/${g.rec_id}`}>{g.reference}</a>
                  </td>
                  <td dir="auto">{g.target}</td>
                  <td>{g.designated_by.join(", ")}</td>
                  <td>{g.awaiting.join(", ")}</td>
                  <td>{g.declined.join(", ")}</td>
                  <td>{g.not_filed.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <CountSection
        id="by-country"
        title={t("dashboard.by_country")}
        chart={t("dashboard.by_country.chart")}
        column={t("queue.country")}
        t={t}
        rows={countries.map(([code, n]) => [countryName(code), n])}
      />

      <CountSection
        id="by-category"
        title={t("dashboard.by_category")}
        chart={t("dashboard.by_category.chart")}
        column={t("dashboard.category")}
        t={t}
        rows={categories.map(([key, n]) => [publicEn(`category.${key}` as "category.torture"), n])}
      />
    </StaffLayout>
  );
}

/** Recommendations counted by one thing (step, country, category): a chart, and the same numbers as a table. */
function CountSection(props: {
  id: string;
  title: string;
  chart: string;
  column: string;
  t: StaffTranslate;
  rows: readonly (readonly [string, number])[];
}) {
  return (
    <section aria-labelledby={props.id} class="panel">
      <h2 id={props.id}>{props.title}</h2>
      <BarChart
        id={`chart-${props.id}`}
        title={props.chart}
        bars={props.rows.map(([label, n]) => ({ label, parts: [n] }))}
      />
      <table class="queue">
        <thead>
          <tr>
            <th scope="col">{props.column}</th>
            <th scope="col">{props.t("dashboard.count")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([label, n]) => (
            <tr>
              <td>{label}</td>
              <td>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
