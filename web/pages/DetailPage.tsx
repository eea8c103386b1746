import { formatBytes } from "../../worker/domain/bytes.ts";
import type { LoggedEvent } from "../../worker/domain/event-log.ts";
import type { Filing, Suggestion } from "../../worker/domain/filings.ts";
import type { RecommendationInput } from "../../worker/domain/recommendation.ts";
import { JURISDICTIONS } from "../../worker/domain/recommendation.ts";
import {
  type Action,
  needsOf,
  nextStep,
  ownForm,
  perFile,
  STEPS,
  type Step,
  shownTo,
} from "../../worker/domain/workflow.ts";
import type { StaffMember } from "../../worker/env.ts";
import { EvidenceItems, RiskBanner, Fact as Row, TargetCards, Typed } from "../components/CaseFile.tsx";
import { Conversation, readMark, type SubmitterReading } from "../components/Conversation.tsx";
import { FilingsPanel } from "../components/FilingsPanel.tsx";
import { StaffLayout } from "../components/Layout.tsx";
import type { WarningView } from "../components/RegimeWarnings.tsx";
import { type MatchView, ScreeningPanel } from "../components/ScreeningPanel.tsx";
import { countryName } from "../countries.ts";
import { type StaffTranslate, translator } from "../i18n/index.ts";

/** The recommendation as presentRecommendation() gives it (sensitive fields only for coordinators). */
export type Presented = Partial<RecommendationInput> & {
  id: string;
  reference: string;
  language: string;
  created_at: string;
  submitter: Partial<RecommendationInput["submitter"]>;
  safety: Partial<RecommendationInput["safety"]>;
};

/** Where the recommendation is in its workflow. */
export interface WorkflowView {
  step: Step;
  overdue: boolean;
  dueAt: string | null;
  assignee: string | null;
  filings: readonly Filing[];
  submitterSeenSeq: number;
  submitterSeenAt: string | null;
  /** The coordinators who approved in this round of final approval. */
  approvals: readonly string[];
  /** What retention will do (domain/retention.ts): held, purged, or when the purge is due. */
  held: boolean;
  purgedAt: string | null;
  purgeDueAt: string | null;
  eraseAt: string | null;
}

/** An evidence file as staff see it. */
export interface FileRow {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Set when there is a metadata-free copy (the original is then a separate download). */
  cleanKey: string | null;
  metadataFound: string | null;
  cleaned: boolean;
  releasedAt: string | null;
  /** When the original was purged (its clean copy, if any, stays). */
  purgedAt: string | null;
}

/** Whether the record still proves what was submitted (services/verification.ts). */
export interface CustodyView {
  verified: boolean;
  problems: readonly { message: string }[];
  content_sha256: string | null;
  /** Whether every file was read back and hashed, not only its record and stored object checked. */
  bytes: boolean;
}

interface DetailPageProps {
  t: StaffTranslate;
  staff: StaffMember;
  rec: Presented;
  state: WorkflowView;
  events: LoggedEvent[];
  custody: CustodyView;
  /** Programmes asked for that cannot reach the conduct, a target or anyone named. */
  warnings: readonly WarningView[];
  /** Whether this person may take packets (coordinators and admins). */
  canPack: boolean;
  actions: Action[];
  assignees: { id: string; email: string }[];
  showContact: boolean;
  files: readonly FileRow[];
  /** What screening found (matches kept in D1), and whether it ran. */
  screening: { matches: readonly MatchView[]; screened: boolean };
  /** The designation watch's suggestions for filings awaiting an answer. */
  suggestions: readonly Suggestion[];
  /** What a refused filing form held, to fill it again. */
  filingValues?: Record<string, unknown>;
  refusal?: string;
  /** The action just taken, to confirm in words. */
  done?: Action;
}

/** The actions written in the conversation's two forms, not among the step's buttons. */
const SPOKEN: ReadonlySet<Action> = new Set(["message", "comment"]);

/** One recommendation, whole: what was submitted, the event log, and what this person may do now. */
export function DetailPage(props: DetailPageProps) {
  const { t, rec, state, events, custody, actions, showContact, refusal } = props;
  // The form's own words for its questions and answers, in the staff member's language.
  const formWords = translator(t.locale);
  const L = formWords;
  const conduct = rec.conduct;
  const assignee = props.assignees.find((a) => a.id === state.assignee)?.email;
  const reading: SubmitterReading = { seq: state.submitterSeenSeq, at: state.submitterSeenAt };
  return (
    <StaffLayout title={rec.reference} locale={t.locale}>
      <p>
        <a href="/review">{t("detail.back")}</a>
      </p>
      <h1>
        {rec.reference}: {rec.targets?.[0]?.name}
      </h1>
      <RiskBanner t={t} level={rec.safety?.risk_level} />
      {refusal ? (
        <p class="error-summary" role="alert">
          {t("detail.refused", { message: refusal })}
        </p>
      ) : null}
      {props.done ? (
        <p class="notice" role="status" data-testid="done">
          {doneMessage(t, props.done, state)}
        </p>
      ) : null}
      <dl class="facts">
        <Row label={t("queue.step")}>
          <strong data-testid="step" data-step={state.step}>
            {t(`step.${state.step}`)}
          </strong>
          {state.overdue ? <strong class="overdue"> · {t("queue.overdue")}</strong> : null}
        </Row>
        {state.step === "final_approval" ? (
          <Row label={t("detail.approvals")}>
            <span data-testid="approvals" data-count={state.approvals.length}>
              {state.approvals.length > 0
                ? t("detail.approvals.count", { count: state.approvals.length })
                : t("detail.approvals.none")}
            </span>
          </Row>
        ) : null}
        <Row label={t("detail.assignee")}>{assignee ?? t("detail.unassigned")}</Row>
        <Row label={t("detail.due")}>{state.dueAt?.slice(0, 10)}</Row>
        <Row label={t("detail.retention")}>
          <span data-testid="retention">{retentionWords(t, state)}</span>
        </Row>
        <Row label={t("detail.submitted")}>{rec.created_at.slice(0, 16).replace("T", " ")}</Row>
        <Row label={t("detail.language")}>{rec.language}</Row>
      </dl>

      <section aria-labelledby="actions-title" class="panel">
        <h2 id="actions-title">{t("detail.actions")}</h2>
        {actions.length === 0 ? <p>{t("detail.actions.none")}</p> : null}
        {actions
          .filter((action) => !perFile(action) && !ownForm(action) && !SPOKEN.has(action))
          .map((action) => (
            <ActionForm {...props} action={action} step={state.step} />
          ))}
      </section>

      <Conversation
        t={t}
        recId={rec.id}
        csrf={props.staff.csrf ?? ""}
        events={events}
        reading={reading}
        canMessage={actions.includes("message")}
        canNote={actions.includes("comment")}
      />

      <FilingsPanel
        t={t}
        recId={rec.id}
        csrf={props.staff.csrf ?? ""}
        filings={state.filings}
        targets={rec.targets ?? []}
        canFile={actions.includes("file")}
        canRecord={actions.includes("record_outcome")}
        suggestions={props.suggestions}
        values={props.filingValues}
      />

      {props.warnings.length > 0 ? (
        <section class="warning" data-testid="regime-warnings">
          <h2>{t("detail.regime")}</h2>
          <ul>
            {props.warnings.map((w) => (
              <li data-path={w.path}>{w.message}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <ScreeningPanel
        t={t}
        recId={rec.id}
        csrf={props.staff.csrf ?? ""}
        targets={rec.targets ?? []}
        matches={props.screening.matches}
        screened={props.screening.screened}
        canDecide={actions.includes("link")}
      />

      <h2>{t("detail.target")}</h2>
      <TargetCards t={t} targets={rec.targets ?? []} relations={rec.relations ?? []} />

      <h2>{t("detail.conduct")}</h2>
      <dl class="facts">
        <Row label={L("field.conduct.categories")}>
          {conduct?.categories?.map((c) => formWords(`category.${c}`)).join(", ")}
        </Row>
        <Row label={L("field.conduct.involvement")}>
          {conduct?.involvement?.map((i) => formWords(`involvement.${i}`)).join(", ")}
        </Row>
        <Row label={L("field.conduct.country")}>{countryName(conduct?.country)}</Row>
        <Row label={L("field.conduct.period_start")}>
          {conduct?.period_start} – {conduct?.period_end ?? "…"}
        </Row>
        <Row label={L("field.conduct.summary")}>
          <p class="prose" dir="auto">
            {conduct?.summary}
          </p>
        </Row>
        <Row label={L("field.conduct.victims")}>
          <Typed>{conduct?.victims}</Typed>
        </Row>
        <Row label={t("detail.victim_profiles")}>
          {conduct?.victim_profiles?.map((v) => t(`detail.victim.${v}`)).join(", ")}
        </Row>
        <Row label={t("detail.incidents")}>
          {conduct?.incidents?.length ? (
            <ul>
              {conduct.incidents.map((incident) => (
                <li>
                  {[incident.date, countryName(incident.country), incident.place].filter(Boolean).join(", ")}
                  {incident.victims_count !== undefined ? ` (${incident.victims_count})` : ""}:{" "}
                  <Typed>{incident.description}</Typed>
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        <Row label={t("detail.impact")}>
          <Typed>{rec.impact}</Typed>
        </Row>
      </dl>

      <h2>{t("detail.jurisdictions")}</h2>
      <ul>
        {(rec.jurisdictions ?? []).map((j) => (
          <li>{formWords(`jurisdiction.${j}`)}</li>
        ))}
      </ul>

      <h2>{t("detail.evidence")}</h2>
      <EvidenceItems t={t} items={rec.evidence?.items ?? []} />
      <dl class="facts">
        <Row label={L("field.evidence.description")}>
          <p class="prose" dir="auto">
            {rec.evidence?.description}
          </p>
        </Row>
        <Row label={L("field.evidence.links")}>
          {rec.evidence?.links?.length ? (
            <ul>
              {rec.evidence.links.map((link) => (
                <li>
                  <a href={link} rel="noreferrer nofollow noopener" target="_blank">
                    {link}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        <Row label={L("field.evidence.exculpatory")}>{rec.evidence?.exculpatory}</Row>
      </dl>
      <h3>{t("detail.files")}</h3>
      {props.files.length === 0 ? (
        <p>{t("detail.files.none")}</p>
      ) : (
        <ul class="files" data-testid="files">
          {props.files.map((file) => {
            const url = `/api/v1/recommendations/${rec.id}/attachments/${file.id}`;
            return (
              <li>
                <strong>{file.filename}</strong> · {file.contentType} · {formatBytes(file.size)}
                <br />
                SHA-256 <code class="hash">{file.sha256}</code>
                <br />
                {file.purgedAt && !file.cleanKey ? (
                  <span class="muted">{t("detail.files.purged", { on: file.purgedAt.slice(0, 10) })}</span>
                ) : file.cleaned || file.releasedAt || showContact ? (
                  <a href={url}>{t("detail.files.download")}</a>
                ) : (
                  <span class="muted">{t("detail.files.withheld")}</span>
                )}
                {file.purgedAt && file.cleanKey ? (
                  <span class="muted">
                    {" · "}
                    {t("detail.files.original_purged", { on: file.purgedAt.slice(0, 10) })}
                  </span>
                ) : null}
                {showContact && file.cleanKey && !file.purgedAt ? (
                  <>
                    {" · "}
                    <a href={`${url}?variant=original`}>{t("detail.files.original")}</a>
                  </>
                ) : null}
                {file.metadataFound ? (
                  <span class="muted"> · {t("detail.files.metadata", { found: file.metadataFound })}</span>
                ) : null}
                {file.cleaned ? null : (
                  <p class="note warning" data-testid="not-cleaned">
                    {t("detail.files.not_cleaned")}{" "}
                    {file.releasedAt ? t("detail.files.released", { at: file.releasedAt.slice(0, 10) }) : null}
                  </p>
                )}
                {!file.cleaned && !file.releasedAt && actions.includes("release_file") ? (
                  <form method="post" action={`/review/${rec.id}/files/${file.id}/release`} class="inline">
                    <input type="hidden" name="_csrf" value={props.staff.csrf} />
                    <button type="submit">{t("action.release_file")}</button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}

      <h2>{t("detail.submitter")}</h2>
      <dl class="facts">
        <Row label={L("field.submitter.organization")}>
          <Typed>{rec.submitter.organization}</Typed>
        </Row>
        <Row label={L("field.submitter.country")}>{rec.submitter.country}</Row>
        <Row label={L("field.submitter.may_be_named")}>{rec.submitter.may_be_named ? "yes" : "no"}</Row>
        <Row label={L("field.submitter.partners")}>
          <Typed>{rec.submitter.partners}</Typed>
        </Row>
        <Row label={t("detail.co_signers")}>
          {rec.co_signers?.length ? (
            <ul>
              {rec.co_signers.map((c) => (
                <li>
                  <Typed>{c.organization}</Typed> {c.country ? `(${countryName(c.country)})` : ""}
                  {c.may_be_named ? "" : ` · ${t("detail.not_to_be_named")}`}
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        {showContact ? (
          <>
            <Row label={L("field.submitter.contact_name")}>{rec.submitter.contact_name}</Row>
            <Row label={L("field.submitter.contact_email")}>{rec.submitter.contact_email}</Row>
            <Row label={L("field.submitter.contact_phone")}>{rec.submitter.contact_phone}</Row>
          </>
        ) : null}
      </dl>
      <h2>{t("detail.safety")}</h2>
      <dl class="facts">
        <Row label={L("field.safety.risk_level")}>
          {rec.safety.risk_level ? L(`risk.${rec.safety.risk_level}`) : null}
        </Row>
        <Row label={L("field.safety.consent_to_share")}>{rec.safety.consent_to_share ? "yes" : "no"}</Row>
        {showContact ? <Row label={L("field.safety.notes")}>{rec.safety.notes}</Row> : null}
      </dl>
      {showContact ? null : <p class="muted">{t("detail.contact_hidden")}</p>}

      {props.canPack ? (
        <section class="panel" data-testid="packet">
          <h2>{t("detail.packet")}</h2>
          <p class="hint">{t("detail.packet.hint")}</p>
          <p>
            <a href={`/api/v1/recommendations/${rec.id}/packet.zip`} download>
              {t("detail.packet.download")}
            </a>{" "}
            ·{" "}
            <a href={`/api/v1/recommendations/${rec.id}/packet.zip?variant=original`} download>
              {t("detail.packet.original")}
            </a>
          </p>
          <form method="get" action={`/api/v1/recommendations/${rec.id}/packet.docx`} class="inline">
            <label for="docx-programme">{t("detail.packet.docx")}</label>{" "}
            <select id="docx-programme" name="programme">
              {JURISDICTIONS.map((j) => (
                <option value={j}>{formWords(`jurisdiction.${j}`)}</option>
              ))}
            </select>{" "}
            <button type="submit">{t("detail.packet.docx.download")}</button>{" "}
            <button type="submit" formaction={`/api/v1/recommendations/${rec.id}/packet.zip`}>
              {t("detail.packet.government")}
            </button>
          </form>
        </section>
      ) : null}

      <h2>{t("detail.events")}</h2>
      <Custody t={t} custody={custody} />
      <table class="queue events">
        <thead>
          <tr>
            <th scope="col">{t("event.seq")}</th>
            <th scope="col">{t("event.at")}</th>
            <th scope="col">{t("event.actor")}</th>
            <th scope="col">{t("event.action")}</th>
            <th scope="col">{t("event.steps")}</th>
            <th scope="col">{t("event.comment")}</th>
            <th scope="col">{t("event.submitter")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td>{e.seq}</td>
              <td>
                <time datetime={e.at}>{e.at.slice(0, 16).replace("T", " ")}</time>
              </td>
              <td>{e.actor}</td>
              <td>{t(`action.${e.action as Action | "submit"}`)}</td>
              <td>
                {e.from && e.from !== e.to ? `${stepWords(t, e.from)} → ${stepWords(t, e.to)}` : stepWords(t, e.to)}
              </td>
              <td class="prose" dir="auto">
                {e.comment}
                {e.data?.content_sha256 ? (
                  <small class="hash">
                    {" "}
                    {t("detail.fingerprint")} {e.data.content_sha256}
                  </small>
                ) : null}
              </td>
              <td>{readMark(t, e, reading) ?? (e.to_submitter ? t("event.theirs") : t("event.staff_only"))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffLayout>
  );
}

/** What retention will do, or did, with the contact details and original files. */
function retentionWords(t: StaffTranslate, state: WorkflowView): string {
  if (state.purgedAt) return t("retention.purged", { on: state.purgedAt.slice(0, 10) });
  if (state.held) return t("retention.held");
  if (!state.purgeDueAt) return t("retention.open");
  const on = state.purgeDueAt.slice(0, 10);
  return state.eraseAt === state.purgeDueAt ? t("retention.erasure", { on }) : t("retention.due", { on });
}

/** What an action just did, in words: where the recommendation is now, or where the words went. */
function doneMessage(t: StaffTranslate, action: Action, state: WorkflowView): string {
  if (action === "message") return t("done.message");
  if (action === "comment") return t("done.comment");
  if (action === "release_file") return t("done.release_file");
  if (action === "link") return t("done.link");
  if (action === "assign") return t("done.assign");
  if (action === "hold" || action === "release") return retentionWords(t, state);
  if (action === "approve" && state.step === "final_approval") {
    return t("done.approve_first", { count: state.approvals.length });
  }
  return t("done.step", { step: t(`step.${state.step}`) });
}

/** A step of the log in words (the log stores codes; a code that is no step stays as it is). */
function stepWords(t: StaffTranslate, step: string): string {
  return (STEPS as readonly string[]).includes(step) ? t(`step.${step as Step}`) : step;
}

/** What a button says: where it leads, or how far approval has come, not just the action's name. */
function buttonLabel(t: StaffTranslate, action: Action, state: WorkflowView): string {
  const next = action === "advance" ? nextStep(state.step) : undefined;
  if (next) return t("action.advance.to", { step: t(`step.${next}`) });
  if (action === "approve") return t("action.approve.count", { count: state.approvals.length });
  if (action === "reopen") return t("action.reopen.to");
  return t(`action.${action}`);
}

/** One action's form, its fields read off the workflow table (what the action needs, who reads its comment). */
function ActionForm(props: DetailPageProps & { action: Action; step: Step }) {
  const { t, action, step, rec } = props;
  const id = (name: string) => `${action}-${name}`;
  const needs = needsOf(action);
  return (
    <form method="post" action={`/review/${rec.id}/actions`} class="action" data-action={action}>
      <input type="hidden" name="_csrf" value={props.staff.csrf} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="expected_step" value={step} />
      {needs.includes("comment") ? (
        <div class="field">
          <label for={id("comment")}>
            {shownTo(action) === "submitter" ? t("detail.comment.theirs") : t("detail.comment.staff")}
          </label>
          <textarea id={id("comment")} name="comment" rows={3} required />
        </div>
      ) : null}
      {action === "reject" ? (
        <div class="field">
          <label for={id("message")}>{t("detail.reject.message")}</label>
          <textarea id={id("message")} name="message" rows={3} />
        </div>
      ) : null}
      {needs.includes("assignee") ? (
        <div class="field">
          <label for={id("assignee")}>{t("detail.assign_to")}</label>
          <select id={id("assignee")} name="assignee">
            <option value="">{t("detail.unassigned")}</option>
            {props.assignees.map((a) => (
              <option value={a.id} selected={a.id === props.state.assignee}>
                {a.email}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" class={action === "reject" ? "danger" : undefined}>
        {buttonLabel(t, action, props.state)}
      </button>
    </form>
  );
}

function Custody({ t, custody }: { t: StaffTranslate; custody: CustodyView }) {
  return (
    <div class={custody.verified ? "notice" : "error-summary"} data-testid="custody">
      <p>{custody.verified ? t("detail.custody_ok") : t("detail.custody_broken")}</p>
      {custody.problems.length > 0 ? (
        <ul>
          {custody.problems.map((p) => (
            <li>{p.message}</li>
          ))}
        </ul>
      ) : null}
      {custody.content_sha256 ? (
        <p>
          {t("detail.fingerprint")} <code class="hash">{custody.content_sha256}</code>
        </p>
      ) : null}
      <p>{custody.bytes ? t("detail.custody_bytes") : <a href="?verify=bytes">{t("detail.custody_check_bytes")}</a>}</p>
    </div>
  );
}
