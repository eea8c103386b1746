import { CHANNELS, type Filing, OUTCOMES, type Suggestion } from "../../worker/domain/filings.ts";
import { JURISDICTIONS } from "../../worker/domain/recommendation.ts";
import { type StaffTranslate, translator } from "../i18n/index.ts";

const publicEn = translator("en");

/**
 * The filings with governments: each one with its outcome (or that it awaits
 * one, and whether a follow-up is due), a form to record an outcome on each,
 * and a form to record a new filing. Forms post without JavaScript.
 */
export function FilingsPanel(props: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  filings: readonly Filing[];
  targets: readonly { name: string }[];
  canFile: boolean;
  canRecord: boolean;
  suggestions: readonly Suggestion[];
  /** A refused filing form's values. */
  values?: Record<string, unknown>;
}) {
  const { t, recId, csrf, filings } = props;
  if (filings.length === 0 && !props.canFile) return null;
  return (
    <section class="panel" aria-labelledby="filings-title" data-testid="filings">
      <h2 id="filings-title">{t("filings.title")}</h2>
      {filings.length === 0 ? <p>{t("filings.none")}</p> : null}
      {filings.map((f) => (
        <article class="filing" data-filing={f.id} data-programme={f.programme}>
          <h3>
            {publicEn(`jurisdiction.${f.programme}`)} · <time datetime={f.filed_on}>{f.filed_on}</time>
          </h3>
          <p>
            {t(`channel.${f.channel}`)} · <span dir="auto">{f.addressee}</span>
            {f.government_reference ? (
              <>
                {" "}
                · {t("filings.government_reference")}: <span dir="auto">{f.government_reference}</span>
              </>
            ) : null}
          </p>
          {f.note ? (
            <p class="prose" dir="auto">
              {f.note}
            </p>
          ) : null}
          {f.packet_sha256 ? (
            <p>
              {t("filings.packet_sent")}: <code class="hash">{f.packet_sha256}</code>{" "}
              <a href={`/api/v1/recommendations/${recId}/filings/${f.id}/packet.docx`}>
                {t("filings.packet.download")}
              </a>
            </p>
          ) : null}
          <p data-testid="filing-outcome" data-outcome={f.outcome?.outcome ?? ""}>
            {f.outcome ? (
              <strong>
                {t(`step.${f.outcome.outcome}`)} · <time datetime={f.outcome.on}>{f.outcome.on}</time>
                {f.outcome.list_reference ? ` · ${f.outcome.list_reference}` : ""}
              </strong>
            ) : (
              <span>{t("filings.awaiting")}</span>
            )}
            {!f.outcome && f.follow_up_due ? <strong class="overdue"> · {t("filings.follow_up_due")}</strong> : null}
            {f.outcome?.source_url ? (
              <>
                {" "}
                <a href={f.outcome.source_url} rel="noopener noreferrer">
                  {t("filings.source")}
                </a>
              </>
            ) : null}
          </p>
          {f.outcome ? null : (
            <Suggested
              t={t}
              recId={recId}
              csrf={csrf}
              canRecord={props.canRecord}
              targets={props.targets}
              suggestions={props.suggestions.filter((s) => s.filing_id === f.id)}
            />
          )}
          {props.canRecord ? <OutcomeForm {...props} filing={f} /> : null}
        </article>
      ))}
      {props.canFile ? <FilingForm t={t} recId={recId} csrf={csrf} values={props.values ?? {}} /> : null}
    </section>
  );
}

/** What the designation watch found for a filing: the listed entity, its score and reasons, and a one-step confirmation. */
function Suggested(props: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  canRecord: boolean;
  targets: readonly { name: string }[];
  suggestions: readonly Suggestion[];
}) {
  const { t, suggestions } = props;
  if (suggestions.length === 0) return null;
  return (
    <div class="warning" data-testid="suggested-outcomes">
      <p>{t("filings.suggested")}</p>
      <ul>
        {suggestions.map((s) => (
          <li data-entity={s.entity_id}>
            <span dir="auto">{props.targets[s.target_index]?.name}</span> ~ <strong dir="auto">{s.name}</strong>{" "}
            {JSON.parse(s.programs).length ? `(${(JSON.parse(s.programs) as string[]).join(", ")}) ` : ""}
            <span class="score">{t("screening.score", { score: Math.round(s.score * 100) })}</span>
            <ul class="reasons">
              {(JSON.parse(s.reasons) as string[]).map((r) => (
                <li>{r}</li>
              ))}
            </ul>
            {props.canRecord ? (
              <form method="post" action={`/review/${props.recId}/filings/${s.filing_id}/outcome`} class="action">
                <input type="hidden" name="_csrf" value={props.csrf} />
                <input type="hidden" name="outcome" value="designated" />
                <input type="hidden" name="on" value={s.suggested_at.slice(0, 10)} />
                <input type="hidden" name="targets" value={String(s.target_index)} />
                <input
                  type="hidden"
                  name="list_reference"
                  value={[s.entity_id, ...(JSON.parse(s.programs) as string[])].join(" ")}
                />
                <button type="submit">{t("filings.confirm")}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function FilingForm({
  t,
  recId,
  csrf,
  values,
}: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  values: Record<string, unknown>;
}) {
  const id = (name: string) => `filing-${name}`;
  const value = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  return (
    <details open>
      <summary>{t("filings.add")}</summary>
      <form method="post" action={`/review/${recId}/filings`} class="action" data-action="file">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for={id("programme")}>{t("filings.programme")}</label>
          <select id={id("programme")} name="programme" required>
            {JURISDICTIONS.map((j) => (
              <option value={j} selected={value("programme") === j}>
                {publicEn(`jurisdiction.${j}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id("filed_on")}>{t("filings.filed_on")}</label>
          <input type="date" id={id("filed_on")} name="filed_on" required value={value("filed_on")} />
        </div>
        <div class="field">
          <label for={id("channel")}>{t("filings.channel")}</label>
          <select id={id("channel")} name="channel" required>
            {CHANNELS.map((c) => (
              <option value={c} selected={value("channel") === c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id("addressee")}>{t("filings.addressee")}</label>
          <input id={id("addressee")} name="addressee" required maxlength={300} value={value("addressee")} />
        </div>
        <div class="field">
          <label for={id("government_reference")}>{t("filings.government_reference")}</label>
          <input
            id={id("government_reference")}
            name="government_reference"
            maxlength={300}
            value={value("government_reference")}
          />
        </div>
        <label class="option">
          <input type="checkbox" name="packet" value="1" checked={value("packet") === "1"} /> {t("filings.packet")}
        </label>
        <div class="field">
          <label for={id("packet_sha256")}>{t("filings.packet_sha256")}</label>
          <input
            id={id("packet_sha256")}
            name="packet_sha256"
            pattern="[0-9a-f]{64}"
            class="hash"
            value={value("packet_sha256")}
          />
        </div>
        <div class="field">
          <label for={id("note")}>{t("filings.note")}</label>
          <textarea id={id("note")} name="note" rows={2}>
            {value("note")}
          </textarea>
        </div>
        <button type="submit">{t("filings.add")}</button>
      </form>
    </details>
  );
}

function OutcomeForm(props: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  filing: Filing;
  targets: readonly { name: string }[];
}) {
  const { t, recId, csrf, filing } = props;
  const id = (name: string) => `outcome-${filing.id}-${name}`;
  return (
    <details>
      <summary>{filing.outcome ? t("filings.change") : t("filings.record")}</summary>
      <form
        method="post"
        action={`/review/${recId}/filings/${filing.id}/outcome`}
        class="action"
        data-action="record_outcome"
      >
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="field">
          <legend>{t("filings.outcome")}</legend>
          {OUTCOMES.map((o) => (
            <label class="option">
              <input type="radio" name="outcome" value={o} required checked={filing.outcome?.outcome === o} />{" "}
              {t(`step.${o}`)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for={id("on")}>{t("filings.outcome_on")}</label>
          <input type="date" id={id("on")} name="on" required value={filing.outcome?.on} />
        </div>
        {props.targets.length > 1 ? (
          <fieldset class="field">
            <legend>{t("filings.targets")}</legend>
            {props.targets.map((target, index) => (
              <label class="option">
                <input type="checkbox" name="targets" value={String(index)} /> <span dir="auto">{target.name}</span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <div class="field">
          <label for={id("list_reference")}>{t("filings.list_reference")}</label>
          <input
            id={id("list_reference")}
            name="list_reference"
            maxlength={300}
            value={filing.outcome?.list_reference ?? ""}
          />
        </div>
        <div class="field">
          <label for={id("source_url")}>{t("filings.source_url")}</label>
          <input type="url" id={id("source_url")} name="source_url" value={filing.outcome?.source_url ?? ""} />
        </div>
        <button type="submit">{filing.outcome ? t("filings.change") : t("filings.record")}</button>
      </form>
    </details>
  );
}
