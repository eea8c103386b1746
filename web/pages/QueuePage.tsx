import { listCountries } from "../../worker/domain/lists.ts";
import { CATEGORIES } from "../../worker/domain/recommendation.ts";
import { STEPS, type Step } from "../../worker/domain/workflow.ts";
import type { StaffMember } from "../../worker/env.ts";
import { StaffLayout } from "../components/Layout.tsx";
import { countryOptions } from "../countries.ts";
import { type StaffTranslate, translator } from "../i18n/index.ts";

/** Names of categories, jurisdictions and the like: the public English catalogue has them. */
const publicEn = translator("en");

/** The queue's filters as they appear in its URL. */
export interface QueueFilters {
  step?: Step;
  country?: string;
  category?: string;
  q?: string;
  mine?: boolean;
  overdue?: boolean;
  followUp?: boolean;
  suggested?: boolean;
  screening?: "duplicate" | "listed";
  page: number;
}

/** One line of the queue. */
export interface QueueItem {
  id: string;
  reference: string;
  targetName: string;
  targetNameLatin: string | null;
  conductCountry: string;
  step: string;
  assigneeEmail: string | null;
  overdue: boolean;
  /** Filings past their follow-up date without an answer. */
  followUp: number;
  /** The designation watch suggests an outcome. */
  suggested: boolean | number;
  updatedAt: string;
  /** Screening found another recommendation on the same target. */
  duplicate: boolean | number;
  /** The lists (datasets, as JSON) naming a target, when screening marks it listed. */
  listedIn: string | null;
}

interface QueuePageProps {
  t: StaffTranslate;
  staff: StaffMember;
  rows: readonly QueueItem[];
  counts: Record<string, number>;
  filters: QueueFilters;
  hasNext: boolean;
}

/** `/review?…` for these filters, with some changed. */
export function queueUrl(filters: QueueFilters, change: Partial<QueueFilters> = {}): string {
  const f = { ...filters, ...change };
  const params = new URLSearchParams();
  if (f.step) params.set("step", f.step);
  if (f.country) params.set("country", f.country);
  if (f.category) params.set("category", f.category);
  if (f.q) params.set("q", f.q);
  if (f.mine) params.set("assignee", "me");
  if (f.overdue) params.set("overdue", "1");
  if (f.followUp) params.set("follow_up", "1");
  if (f.suggested) params.set("suggested", "1");
  if (f.screening) params.set("screening", f.screening);
  if (f.page > 1) params.set("page", String(f.page));
  const query = params.toString();
  return query ? `/review?${query}` : "/review";
}

function Options({
  values,
  current,
  label,
}: {
  values: readonly (readonly [string, string])[];
  current?: string;
  label: string;
}) {
  return (
    <>
      <option value="">{label}</option>
      {values.map(([value, text]) => (
        <option value={value} selected={value === current}>
          {text}
        </option>
      ))}
    </>
  );
}

/** The reviewers' queue: newest activity first, filtered, with counts per step. */
export function QueuePage({ t, staff, rows, counts, filters, hasNext }: QueuePageProps) {
  const any = t("queue.filter.any");
  return (
    <StaffLayout title={t("queue.title")}>
      <div class="bar">
        <h1>{t("queue.title")}</h1>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={staff.csrf} />
          <a href="/dashboard">{t("dashboard.link")}</a>{" "}
          {staff.role === "admin" ? <a href="/admin">{t("admin.title")}</a> : null}{" "}
          <span class="who">{staff.email}</span> <button type="submit">{t("logout.submit")}</button>{" "}
          <button type="submit" name="everywhere" value="1">
            {t("logout.everywhere")}
          </button>
        </form>
      </div>

      <nav aria-label={t("queue.counts")} class="counts">
        <ul>
          {STEPS.filter((s) => counts[s]).map((s) => (
            <li>
              <a href={queueUrl(filters, { step: s, page: 1 })} aria-current={filters.step === s ? "true" : undefined}>
                {t(`step.${s}`)} <span class="count">{counts[s]}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <search>
        <form method="get" action="/review" class="filters">
          <div class="field">
            <label for="q">{t("queue.filter.search")}</label>
            <input type="search" id="q" name="q" value={filters.q ?? ""} />
          </div>
          <div class="field">
            <label for="step">{t("queue.filter.step")}</label>
            <select id="step" name="step">
              <Options values={STEPS.map((s) => [s, t(`step.${s}`)] as const)} current={filters.step} label={any} />
            </select>
          </div>
          <div class="field">
            <label for="country">{t("queue.filter.country")}</label>
            <select id="country" name="country">
              <Options values={countryOptions("en")} current={filters.country} label={any} />
            </select>
          </div>
          <div class="field">
            <label for="category">{t("queue.filter.category")}</label>
            <select id="category" name="category">
              <Options
                values={CATEGORIES.map((c) => [c, publicEn(`category.${c}`)] as const)}
                current={filters.category}
                label={any}
              />
            </select>
          </div>
          <div class="field">
            <label for="screening">{t("queue.filter.screening")}</label>
            <select id="screening" name="screening">
              <Options
                values={(["duplicate", "listed"] as const).map((s) => [s, t(`queue.filter.screening.${s}`)] as const)}
                current={filters.screening}
                label={any}
              />
            </select>
          </div>
          <label class="option">
            <input type="checkbox" name="assignee" value="me" checked={filters.mine} /> {t("queue.filter.mine")}
          </label>
          <label class="option">
            <input type="checkbox" name="overdue" value="1" checked={filters.overdue} /> {t("queue.filter.overdue")}
          </label>
          <label class="option">
            <input type="checkbox" name="follow_up" value="1" checked={filters.followUp} />{" "}
            {t("queue.filter.follow_up")}
          </label>
          <label class="option">
            <input type="checkbox" name="suggested" value="1" checked={filters.suggested} />{" "}
            {t("queue.filter.suggested")}
          </label>
          <button type="submit">{t("queue.filter.apply")}</button> <a href="/review">{t("queue.filter.clear")}</a>
        </form>
      </search>

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
              <th scope="col">{t("queue.assignee")}</th>
              <th scope="col">{t("queue.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-id={r.id} class={r.overdue ? "is-overdue" : undefined}>
                <td>
                  <a href={`/review/${r.id}`}>{r.reference}</a>
                </td>
                <td>
                  {r.targetName}
                  {r.targetNameLatin && r.targetNameLatin !== r.targetName ? (
                    <span class="muted"> ({r.targetNameLatin})</span>
                  ) : null}
                  <ScreeningMarks t={t} row={r} />
                </td>
                <td>{r.conductCountry}</td>
                <td>
                  {t(`step.${r.step as Step}`)}
                  {r.overdue ? <strong class="overdue"> · {t("queue.overdue")}</strong> : null}
                  {r.followUp > 0 ? <strong class="overdue"> · {t("queue.follow_up")}</strong> : null}
                  {r.suggested ? (
                    <strong class="mark" data-mark="suggested">
                      {" "}
                      · {t("queue.suggested")}
                    </strong>
                  ) : null}
                </td>
                <td>{r.assigneeEmail ?? ""}</td>
                <td>
                  <time datetime={r.updatedAt}>{r.updatedAt.slice(0, 16).replace("T", " ")}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pages" aria-label={t("queue.page", { page: filters.page })}>
        {filters.page > 1 ? <a href={queueUrl(filters, { page: filters.page - 1 })}>{t("queue.previous")}</a> : null}{" "}
        {hasNext ? <a href={queueUrl(filters, { page: filters.page + 1 })}>{t("queue.next")}</a> : null}
      </nav>
    </StaffLayout>
  );
}

/** What screening found, on the queue's line: a possible duplicate, and the countries whose lists name a target. */
function ScreeningMarks({ t, row }: { t: StaffTranslate; row: QueueItem }) {
  const countries = listCountries(row.listedIn ? (JSON.parse(row.listedIn) as string[]) : []);
  return (
    <>
      {row.duplicate ? (
        <strong class="mark" data-mark="duplicate">
          {" "}
          · {t("queue.mark.duplicate")}
        </strong>
      ) : null}
      {countries.length > 0 ? (
        <strong class="mark" data-mark="listed">
          {" "}
          · {t("queue.mark.listed", { countries: countries.join(", ") })}
        </strong>
      ) : null}
    </>
  );
}
