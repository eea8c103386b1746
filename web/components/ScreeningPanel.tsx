import { listCountries } from "../../worker/domain/lists.ts";
import type { StaffTranslate } from "../i18n/index.ts";

/** A candidate screening found, as D1 keeps it (JSON lists as text). */
export interface MatchView {
  target_index: number;
  candidate: string;
  source: "list" | "recommendation";
  candidate_id: string;
  name: string;
  score: number;
  reasons: string;
  datasets: string;
  programs: string;
  reference: string | null;
  decision: "same" | "different" | null;
}

/**
 * What screening found for each target, for a reviewer to act on: the
 * listed entity or other recommendation, the score, the reasons, and two
 * buttons, "same target" (a link event) and "not the same" (it stops
 * counting). Decided candidates show the decision instead.
 */
export function ScreeningPanel(props: {
  t: StaffTranslate;
  recId: string;
  csrf: string;
  targets: readonly { name: string }[];
  matches: readonly MatchView[];
  screened: boolean;
  canDecide: boolean;
}) {
  const { t, recId, csrf, matches } = props;
  return (
    <section class="panel" aria-labelledby="screening-title" data-testid="screening">
      <h2 id="screening-title">{t("screening.title")}</h2>
      {!props.screened ? <p>{t("screening.pending")}</p> : null}
      {props.screened && matches.length === 0 ? <p>{t("screening.none")}</p> : null}
      {props.targets.map((target, index) => {
        const mine = matches.filter((m) => m.target_index === index && m.decision !== "different");
        if (mine.length === 0) return null;
        return (
          <>
            <h3 dir="auto">{target.name}</h3>
            <ul class="matches">
              {mine.map((m) => (
                <li data-candidate={m.candidate} data-decision={m.decision ?? ""}>
                  <strong dir="auto">{m.name}</strong>{" "}
                  {m.source === "list" ? (
                    <span>
                      {t("screening.listed", { countries: listCountries(JSON.parse(m.datasets)).join(", ") })}
                      {JSON.parse(m.programs).length ? ` (${JSON.parse(m.programs).join(", ")})` : ""}
                    </span>
                  ) : (
                    <a href={`/review/${m.candidate_id}`}>{m.reference}</a>
                  )}{" "}
                  <span class="score">{t("screening.score", { score: Math.round(m.score * 100) })}</span>
                  <ul class="reasons">
                    {(JSON.parse(m.reasons) as string[]).map((r) => (
                      <li dir="auto">{r}</li>
                    ))}
                  </ul>
                  {m.decision === "same" ? (
                    <p>
                      <strong>{t("screening.decided.same")}</strong>
                    </p>
                  ) : props.canDecide ? (
                    <form method="post" action={`/review/${recId}/matches`} class="inline">
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="target" value={String(index)} />
                      <input type="hidden" name="candidate" value={m.candidate} />
                      <button type="submit" name="decision" value="same">
                        {t("screening.same")}
                      </button>{" "}
                      <button type="submit" name="decision" value="different" class="secondary">
                        {t("screening.different")}
                      </button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        );
      })}
    </section>
  );
}
