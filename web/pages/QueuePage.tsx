import { listCountries } from "../../worker/domain/lists.ts";
import { LOCALE_NAMES, STAFF_LOCALES } from "../../worker/domain/locales.ts";
import type { InboxItem } from "../../worker/domain/notifications.ts";
import {
  daysSince,
  QUEUE_PAGE_SIZE,
  QUEUE_SORTS,
  type QueueSort,
  type SortDirection,
} from "../../worker/domain/queue.ts";
import { CATEGORIES } from "../../worker/domain/recommendation.ts";
import { STEPS, type Step } from "../../worker/domain/workflow.ts";
import type { StaffMember } from "../../worker/env.ts";
import { Inbox } from "../components/Inbox.tsx";
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
  sort: QueueSort;
  dir: SortDirection;
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
  risk: string | null;
  createdAt: string;
  dueAt: string | null;
  /** When the submitter wrote with no staff action since. */
  repliedAt: string | null;
  /** Something about it is unread in this person's inbox (the "new" mark). */
  unread: boolean | number;
}

interface QueuePageProps {
  t: StaffTranslate;
  staff: StaffMember;
  rows: readonly QueueItem[];
  counts: Record<string, number>;
  filters: QueueFilters;
  hasNext: boolean;
  inbox: { items: readonly InboxItem[]; total: number };
  assignees: readonly { id: string; email: string }[];
  /** Rows matching the filters, on all pages. */
  total: number;
  /** What the last bulk action did. */
  done?: { assigned: number; refused: number };
  now: number;
  /** The person's settings were just saved. */
  saved?: boolean;
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
  if (f.sort !== "updated" || f.dir !== QUEUE_SORTS.updated) {
    params.set("sort", f.sort);
    params.set("dir", f.dir);
  }
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
export function QueuePage(props: QueuePageProps) {
  const { t, staff, rows, counts, filters, hasNext, inbox, assignees, total, done, now, saved } = props;
  const any = t("queue.filter.any");
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  return (
    <StaffLayout title={t("queue.title")} locale={t.locale} wide scripts={["/queue.js"]}>
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

      {saved ? (
        <p class="notice" role="status">
          {t("settings.saved")}
        </p>
      ) : null}
      <Inbox t={t} csrf={staff.csrf ?? ""} items={inbox.items} total={inbox.total} />
      <Settings t={t} staff={staff} />

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

      {done ? (
        <p class="notice" role="status" data-testid="done">
          {t("queue.assigned", { count: done.assigned })}
          {done.refused > 0 ? ` ${t("queue.assign_refused", { count: done.refused })}` : null}
        </p>
      ) : null}

      {rows.length === 0 ? (
        <p>{t("queue.empty")}</p>
      ) : (
        <>
          <form method="post" action="/review/assign" id="bulk" class="bulk">
            <input type="hidden" name="_csrf" value={staff.csrf} />
            <input type="hidden" name="back" value={queueUrl(filters)} />
            <label for="bulk-assignee">{t("queue.bulk.assign_to")}</label>{" "}
            <select id="bulk-assignee" name="assignee">
              <option value="me">{t("queue.bulk.me")}</option>
              {assignees.map((a) => (
                <option value={a.id}>{a.email}</option>
              ))}
              <option value="">{t("queue.bulk.nobody")}</option>
            </select>{" "}
            <button type="submit">{t("queue.bulk.submit")}</button> <span class="hint">{t("queue.keys")}</span>
          </form>
          <table class="queue" data-testid="queue">
            <caption class="hint">{t("queue.showing", { count: total, page: filters.page, pages })}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">{t("queue.select")}</span>
                </th>
                <SortHeader t={t} filters={filters} by="reference" label={t("queue.reference")} />
                <SortHeader t={t} filters={filters} by="target" label={t("queue.target")} />
                <SortHeader t={t} filters={filters} by="risk" label={t("queue.risk")} />
                <SortHeader t={t} filters={filters} by="step" label={t("queue.step")} />
                <SortHeader t={t} filters={filters} by="age" label={t("queue.age")} />
                <SortHeader t={t} filters={filters} by="due" label={t("queue.due")} />
                <SortHeader t={t} filters={filters} by="replied" label={t("queue.replied")} />
                <SortHeader t={t} filters={filters} by="assignee" label={t("queue.assignee")} />
                <SortHeader t={t} filters={filters} by="updated" label={t("queue.updated")} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-id={r.id} class={r.overdue ? "is-overdue" : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      name="ids"
                      value={r.id}
                      form="bulk"
                      aria-label={t("queue.select_one", { reference: r.reference })}
                    />
                  </td>
                  <td data-label={t("queue.reference")}>
                    <a href={`/review/${r.id}`}>{r.reference}</a>
                    {r.unread ? (
                      <strong class="mark new" data-mark="new">
                        {" "}
                        {t("queue.new")}
                      </strong>
                    ) : null}
                  </td>
                  <td data-label={t("queue.target")} dir="auto">
                    {r.targetName}
                    {r.targetNameLatin && r.targetNameLatin !== r.targetName ? (
                      <span class="muted"> ({r.targetNameLatin})</span>
                    ) : null}
                    <span class="muted"> · {r.conductCountry}</span>
                    <ScreeningMarks t={t} row={r} />
                  </td>
                  <td data-label={t("queue.risk")}>
                    {r.risk ? (
                      <span class={`risk risk-${r.risk}`} data-risk={r.risk}>
                        {publicEn(`risk.${r.risk as "low" | "medium" | "high"}`)}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t("queue.step")}>
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
                  <td data-label={t("queue.age")}>{t("queue.days", { count: daysSince(r.createdAt, now) })}</td>
                  <td data-label={t("queue.due")} class={r.overdue ? "overdue" : undefined}>
                    {r.dueAt ? <time datetime={r.dueAt}>{r.dueAt.slice(0, 10)}</time> : null}
                  </td>
                  <td data-label={t("queue.replied")}>
                    {r.repliedAt ? (
                      <strong class="mark" data-mark="replied">
                        <time datetime={r.repliedAt}>{t("queue.replied_on", { date: r.repliedAt.slice(0, 10) })}</time>
                      </strong>
                    ) : null}
                  </td>
                  <td data-label={t("queue.assignee")}>
                    {r.assigneeEmail ?? (
                      <button type="submit" form="bulk" name="only" value={r.id} class="link">
                        {t("queue.assign_me")}
                      </button>
                    )}
                  </td>
                  <td data-label={t("queue.updated")}>
                    <time datetime={r.updatedAt}>{r.updatedAt.slice(0, 16).replace("T", " ")}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <nav class="pages" aria-label={t("queue.page", { page: filters.page })}>
        {filters.page > 1 ? <a href={queueUrl(filters, { page: 1 })}>{t("queue.first")}</a> : null}{" "}
        {filters.page > 1 ? <a href={queueUrl(filters, { page: filters.page - 1 })}>{t("queue.previous")}</a> : null}{" "}
        <span>{t("queue.page_of", { page: filters.page, pages })}</span>{" "}
        {hasNext ? <a href={queueUrl(filters, { page: filters.page + 1 })}>{t("queue.next")}</a> : null}
      </nav>
    </StaffLayout>
  );
}

/** The signed-in person's own choices: the language of their pages and mails, and whether they get mail. */
function Settings({ t, staff }: { t: StaffTranslate; staff: StaffMember }) {
  return (
    <details class="panel">
      <summary>{t("settings.title")}</summary>
      <form method="post" action="/review/settings">
        <input type="hidden" name="_csrf" value={staff.csrf} />
        <div class="field">
          <label for="settings-locale">{t("settings.language")}</label>
          <select id="settings-locale" name="locale">
            {STAFF_LOCALES.map((l) => (
              <option value={l} lang={l} selected={(staff.locale ?? "en") === l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        <label class="option">
          <input type="checkbox" name="mail" value="1" checked={staff.mail ?? true} /> {t("settings.mail")}
        </label>{" "}
        <button type="submit">{t("settings.save")}</button>
      </form>
    </details>
  );
}

/** A column header that sorts by its column: first the way that puts what needs attention on top, then the other. */
function SortHeader(props: { t: StaffTranslate; filters: QueueFilters; by: QueueSort; label: string }) {
  const { t, filters, by, label } = props;
  const current = filters.sort === by;
  const dir: SortDirection = current ? (filters.dir === "asc" ? "desc" : "asc") : QUEUE_SORTS[by];
  return (
    <th scope="col" aria-sort={current ? (filters.dir === "asc" ? "ascending" : "descending") : undefined}>
      <a href={queueUrl(filters, { sort: by, dir, page: 1 })} title={t("queue.sort_by", { column: label })}>
        {label}
        {current ? (filters.dir === "asc" ? " ▲" : " ▼") : null}
      </a>
    </th>
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
