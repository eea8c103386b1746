import type { CaseDraft } from "../../worker/domain/case-form.ts";
import type { Outcome, Programme } from "../../worker/domain/filings.ts";
import type { Locale } from "../../worker/domain/locales.ts";
import type { Step } from "../../worker/domain/workflow.ts";
import { answerBlocks } from "../components/Answers.tsx";
import { Attachments } from "../components/Attachments.tsx";
import { FileList, type FileView } from "../components/FileList.tsx";
import { Fingerprint } from "../components/Fingerprint.tsx";
import { type FormState, idFor, TextArea, TextInput } from "../components/form.tsx";
import { PublicLayout } from "../components/Layout.tsx";
import type { Translate } from "../i18n/index.ts";
import { pageTitle } from "./CasePages.tsx";

/** What a receipt opens, as this page shows it: never staff names, never other recommendations. */
export interface StatusView {
  reference: string;
  step: Step;
  /** What each government that answered decided, and when. */
  decisions: readonly { programme: Programme; outcome: Outcome; on: string }[];
  messages: readonly { at: string; from: "reviewers" | "you"; text: string }[];
  attachments: readonly FileView[];
  /** The content hash fixed when the recommendation arrived; null for one from before fingerprints. */
  fingerprint: string | null;
  /** What they sent, without contact details and safety notes. */
  sent: CaseDraft;
  canRespond: boolean;
  canWrite: boolean;
  canWithdraw: boolean;
  canErase: boolean;
  /** What happens to their contact details and files (planned, held, done), or null while the review goes on. */
  erasure: { state: "planned" | "held" | "done"; on: string | null; asked: boolean } | null;
}

interface StatusPageProps {
  locale: Locale;
  t: Translate;
  /** What the receipt opened; absent on the lookup form. */
  view?: StatusView;
  receipt?: string;
  /** A problem with the lookup or the last action, shown at the top. */
  problem?: string;
  /** A confirmation of the last action. */
  notice?: string;
  errors?: ReadonlyMap<string, string>;
  message?: string;
  /** Ask before withdrawing: the second page of the withdraw button. */
  confirmWithdraw?: boolean;
  /** Ask before erasing: the second page of the erase button. */
  confirmErase?: boolean;
}

/** The submitter's follow-up: look up by receipt, then read, answer or withdraw. */
export function StatusPage(props: StatusPageProps) {
  const { locale, t, view, receipt = "", problem, notice } = props;
  const f: FormState = { locale, t, values: { receipt, message: props.message }, errors: props.errors ?? new Map() };
  return (
    <PublicLayout
      locale={locale}
      t={t}
      title={t("status.title")}
      failed={Boolean(problem) || (props.errors?.size ?? 0) > 0}
      path="/status"
      uploads={Boolean(view)}
    >
      <h1>{t("status.title")}</h1>
      {problem ? (
        <p class="error-summary" role="alert">
          {problem}
        </p>
      ) : null}
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {view && props.confirmWithdraw ? (
        <Confirm locale={locale} t={t} receipt={receipt} action="withdraw" />
      ) : view && props.confirmErase ? (
        <Confirm locale={locale} t={t} receipt={receipt} action="erase" />
      ) : view ? (
        <Status {...props} view={view} f={f} receipt={receipt} />
      ) : (
        <>
          <form method="post" action={`/${locale}/status`} novalidate>
            <p>{t("status.intro")}</p>
            <TextInput
              f={f}
              path="receipt"
              label="status.receipt"
              hint={t("status.receipt.hint")}
              required
              type="code"
            />
            <button type="submit">{t("status.lookup")}</button>
          </form>
          <details class="panel" data-testid="lost-receipt">
            <summary>{t("status.lost.title")}</summary>
            <p>{t("status.lost.text")}</p>
          </details>
        </>
      )}
    </PublicLayout>
  );
}

function Status({
  locale,
  t,
  view,
  f,
  receipt,
}: StatusPageProps & { view: StatusView; f: FormState; receipt: string }) {
  return (
    <>
      <dl class="receipt">
        <dt>{t("status.reference")}</dt>
        <dd dir="ltr" data-testid="reference">
          {view.reference}
        </dd>
        <dt>{t("status.step")}</dt>
        <dd data-testid="step" data-step={view.step}>
          {t(`step.${view.step}`)}
        </dd>
      </dl>
      {view.decisions.length > 0 ? (
        <>
          <h2>{t("status.decisions")}</h2>
          <ul data-testid="decisions">
            {view.decisions.map((d) => (
              <li data-programme={d.programme} data-outcome={d.outcome}>
                {t(`jurisdiction.${d.programme}`)}: {t(`status.decision.${d.outcome}`, { date: d.on })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.erasure ? (
        <p class="note" data-testid="erasure" data-state={view.erasure.state}>
          {erasureWords(t, view.erasure)}
        </p>
      ) : null}
      <Fingerprint t={t} hash={view.fingerprint} />
      <h2>{t("status.messages")}</h2>
      {view.messages.length === 0 ? (
        <p>{t("status.messages.none")}</p>
      ) : (
        <ol class="messages">
          {view.messages.map((m) => (
            <li class={m.from === "you" ? "mine" : undefined}>
              <p class="meta">
                {t(m.from === "you" ? "status.message.from_you" : "status.message.from_reviewers")} ·{" "}
                <time datetime={m.at}>{m.at.slice(0, 10)}</time>
              </p>
              <p class="body" dir="auto">
                {m.text}
              </p>
            </li>
          ))}
        </ol>
      )}
      {view.attachments.length > 0 ? (
        <>
          <h2>{t("status.files")}</h2>
          <FileList t={t} files={view.attachments} />
        </>
      ) : null}
      {view.canRespond || view.canWrite ? (
        <form method="post" action={`/${locale}/status`} enctype="multipart/form-data" novalidate class="panel">
          <h2>{t(view.canRespond ? "status.respond.title" : "status.write.title")}</h2>
          <p class="hint">{t(view.canRespond ? "status.respond.hint" : "status.write.hint")}</p>
          <input type="hidden" name="receipt" value={receipt} />
          <input type="hidden" name="_action" value="write" />
          <TextArea
            f={f}
            path="message"
            label={view.canRespond ? "status.respond.message" : "status.write.message"}
            required={view.canRespond}
            rows={6}
          />
          <Attachments f={f} received={[]} />
          <button type="submit">{t(view.canRespond ? "status.respond.submit" : "status.write.submit")}</button>
        </form>
      ) : null}
      <Sent locale={locale} t={t} sent={view.sent} />
      {view.canWithdraw ? <Ask locale={locale} t={t} receipt={receipt} action="withdraw" /> : null}
      {view.canErase ? <Ask locale={locale} t={t} receipt={receipt} action="erase" /> : null}
    </>
  );
}

/** Withdrawing and erasing each take two steps: a button, then a page that asks once more. */
interface TwoStepProps {
  locale: Locale;
  t: Translate;
  receipt: string;
  action: "withdraw" | "erase";
}

/** The first step of withdrawing or erasing: what it means, and a button that leads to the confirmation. */
function Ask({ locale, t, receipt, action }: TwoStepProps) {
  return (
    <form method="post" action={`/${locale}/status`} class="panel danger">
      <h2>{t(`status.${action}.title`)}</h2>
      <p class="hint" id={idFor(`${action}-hint`)}>
        {t(`status.${action}.hint`)}
      </p>
      <input type="hidden" name="receipt" value={receipt} />
      <input type="hidden" name="_action" value={action} />
      <button type="submit" class="danger" aria-describedby={idFor(`${action}-hint`)}>
        {t(`status.${action}.submit`)}
      </button>
    </form>
  );
}

/** What will happen, or happened, to their contact details and files, in words. */
function erasureWords(t: Translate, erasure: NonNullable<StatusView["erasure"]>): string {
  if (erasure.state === "done") return t("status.erase.done", { date: erasure.on ?? "" });
  if (erasure.state === "held") return t("status.erase.held");
  return t(erasure.asked ? "status.erase.asked" : "status.erase.due", { date: erasure.on ?? "" });
}

/** What the submitter sent, folded away: their answers, page by page, without what could name them. */
function Sent({ locale, t, sent }: { locale: Locale; t: Translate; sent: CaseDraft }) {
  const blocks = answerBlocks(t, locale, sent).filter((b) => b.rows.length > 0);
  return (
    <details class="panel" data-testid="sent">
      <summary>{t("status.sent.title")}</summary>
      <p class="hint">{t("status.sent.hint")}</p>
      {blocks.map(({ page, rows }) => (
        <section class="review">
          <h3>{pageTitle(t, page)}</h3>
          <dl>
            {rows.map(([name, text]) => (
              <>
                <dt>{name}</dt>
                <dd dir="auto">{text}</dd>
              </>
            ))}
          </dl>
        </section>
      ))}
    </details>
  );
}

/** The second step of withdrawing or erasing: says what it means and asks once more (works without JavaScript). */
function Confirm({ locale, t, receipt, action }: TwoStepProps) {
  return (
    <section class="panel danger" aria-labelledby={`confirm-${action}`}>
      <h2 id={`confirm-${action}`}>{t(`status.${action}.confirm.title`)}</h2>
      <p>{t(`status.${action}.confirm.text`)}</p>
      <form method="post" action={`/${locale}/status`}>
        <input type="hidden" name="receipt" value={receipt} />
        <input type="hidden" name="_action" value={`${action}_confirmed`} />
        <button type="submit" class="danger">
          {t(`status.${action}.confirm.yes`)}
        </button>
      </form>
      <form method="post" action={`/${locale}/status`}>
        <input type="hidden" name="receipt" value={receipt} />
        <button type="submit">{t(`status.${action}.confirm.no`)}</button>
      </form>
    </section>
  );
}
