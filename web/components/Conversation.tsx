import type { LoggedEvent } from "../../worker/domain/event-log.ts";
import type { StaffTranslate } from "../i18n/index.ts";

/** The actions whose words belong to the conversation: what went to and came from the submitter, and staff notes. */
const SPOKEN = new Set(["request_changes", "respond", "message", "comment", "reject"]);

/** How far the submitter has read their status page: events up to `seq`, last opened `at`. */
export interface SubmitterReading {
  seq: number;
  at: string | null;
}

function when(at: string): string {
  return at.slice(0, 16).replace("T", " ");
}

/** Whether the submitter had this staff message before them: the log marks it, the thread says it. */
export function readMark(t: StaffTranslate, event: LoggedEvent, reading: SubmitterReading): string | null {
  if (!event.to_submitter || event.actor === "submitter") return null;
  return event.seq <= reading.seq && reading.at
    ? t("conversation.read", { date: when(reading.at) })
    : t("conversation.unread");
}

/**
 * The conversation with the submitter beside the staff's internal notes,
 * told apart three ways: colour, the words above each entry, and the form
 * each is written in (two forms, never one box with a checkbox). Neither
 * form names the step: words do not depend on it, so a tab left open does
 * not lose them.
 */
export function Conversation(props: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  events: readonly LoggedEvent[];
  reading: SubmitterReading;
  canMessage: boolean;
  canNote: boolean;
}) {
  const { t, events, reading } = props;
  const entries = events.filter((e) => SPOKEN.has(e.action) && e.comment);
  return (
    <section aria-labelledby="conversation-title" class="panel" data-testid="conversation">
      <h2 id="conversation-title">{t("conversation.title")}</h2>
      {entries.length === 0 ? <p class="hint">{t("conversation.empty")}</p> : null}
      <ol class="thread">
        {entries.map((e) => {
          const kind = e.actor === "submitter" ? "from-submitter" : e.to_submitter ? "to-submitter" : "note";
          const mark = readMark(t, e, reading);
          return (
            <li class={kind} data-kind={kind} data-seq={e.seq}>
              <p class="who">
                <strong>{t(`conversation.${kind}`)}</strong>
                {e.actor === "submitter" ? null : ` · ${e.actor}`} · <time datetime={e.at}>{when(e.at)}</time>
                {e.action === "request_changes" || e.action === "reject" ? ` · ${t(`action.${e.action}`)}` : null}
                {mark ? <span class="read"> · {mark}</span> : null}
              </p>
              <p class="prose" dir="auto">
                {e.comment}
              </p>
            </li>
          );
        })}
      </ol>
      <div class="two-forms">
        {props.canMessage ? <WordsForm {...props} kind="message" /> : null}
        {props.canNote ? <WordsForm {...props} kind="note" /> : null}
      </div>
    </section>
  );
}

/** What each of the two forms is: its action, its colour and its words. */
const FORMS = {
  message: { action: "message", class: "to-submitter", button: undefined },
  note: { action: "comment", class: "note", button: "secondary" },
} as const;

/** One of the conversation's two forms: a message to the submitter, or an internal note. */
function WordsForm(props: { t: StaffTranslate; recId: string; csrf: string; kind: keyof typeof FORMS }) {
  const { t, kind } = props;
  const form = FORMS[kind];
  return (
    <form method="post" action={`/review/${props.recId}/actions`} class={form.class} data-action={form.action}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="action" value={form.action} />
      <label for={`${kind}-comment`}>
        <strong>{t(`conversation.${kind}.title`)}</strong>
      </label>
      <p class="hint" id={`${kind}-hint`}>
        {t(`conversation.${kind}.hint`)}
      </p>
      <textarea id={`${kind}-comment`} name="comment" rows={4} required aria-describedby={`${kind}-hint`} />
      <button type="submit" class={form.button}>
        {t(kind === "message" ? "conversation.message.send" : "conversation.note.add")}
      </button>
    </form>
  );
}
