import type { Child } from "hono/jsx";
import type { RecommendationInput } from "../../worker/domain/recommendation.ts";
import { countryName } from "../countries.ts";
import { type StaffTranslate, translator } from "../i18n/index.ts";

/**
 * The parts of a case file as reviewers read them: labels instead of codes,
 * country names, and `dir="auto"` on every text a person typed (a name in
 * Arabic inside an English page reads right to left).
 */

const en = translator("en");

type Targets = readonly RecommendationInput["targets"][number][];
type Relations = readonly RecommendationInput["relations"][number][];

export function Fact({ label, children }: { label: string; children: Child }) {
  if (children === undefined || children === null || children === "" || (Array.isArray(children) && !children.length)) {
    return null;
  }
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** A typed text, its direction left to the browser. */
export function Typed({ children }: { children: Child }) {
  return <span dir="auto">{children}</span>;
}

/** High risk first: whoever opens the file sees it before anything else. */
export function RiskBanner({ t, level }: { t: StaffTranslate; level: string | undefined }) {
  if (!level) return null;
  return (
    <p class={level === "high" ? "error-summary" : "notice"} data-testid="risk" data-risk={level}>
      {t(`detail.risk.${level as "high"}`)}
    </p>
  );
}

/** Each target as a card, with its relations to the others (or to someone named who is not a target). */
export function TargetCards({ t, targets, relations }: { t: StaffTranslate; targets: Targets; relations: Relations }) {
  const nameOf = (n: number | null, name?: string) =>
    n === null ? `${name ?? ""} (${t("detail.relation.not_target")})` : `${n + 1}. ${targets[n]?.name ?? ""}`;
  return (
    <>
      {targets.map((target, n) => (
        <section class="panel card" data-testid="target">
          <h3>
            {n + 1}. <Typed>{target.name}</Typed> <span class="muted">· {en(`field.target.kind.${target.kind}`)}</span>
          </h3>
          <dl class="facts">
            <Fact label={en("field.target.name_latin")}>{target.name_latin}</Fact>
            <Fact label={en("field.target.aliases")}>
              {target.aliases?.map((a, i) => (
                <>
                  {i > 0 ? " | " : ""}
                  <Typed>{a}</Typed>
                </>
              ))}
            </Fact>
            <Fact label={en("field.target.birth_date")}>{target.birth_date}</Fact>
            <Fact label={en("field.target.birth_place")}>
              <Typed>{target.birth_place}</Typed>
            </Fact>
            <Fact label={en("field.target.nationalities")}>
              {target.nationalities?.map((c) => countryName(c)).join(", ")}
            </Fact>
            <Fact label={en("field.target.identifiers")}>
              {target.identifiers?.length ? (
                <ul>
                  {target.identifiers.map((i) => (
                    <li>
                      {en(`identifier.${i.type}`)}: <Typed>{i.number}</Typed>{" "}
                      {i.country ? `(${countryName(i.country)})` : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Fact>
            <Fact label={en("field.target.positions")}>
              {target.positions?.length ? (
                <ul>
                  {target.positions.map((p) => (
                    <li>
                      <Typed>{p.title}</Typed>
                      {p.organization ? (
                        <>
                          , <Typed>{p.organization}</Typed>
                        </>
                      ) : null}{" "}
                      {p.country ? `(${countryName(p.country)})` : ""}{" "}
                      {p.from || p.to ? `${p.from ?? "…"} – ${p.to ?? "…"}` : ""}
                      {p.public_official ? <strong> · {t("detail.public_official")}</strong> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Fact>
            <Fact label={t("detail.addresses")}>
              {target.addresses?.length ? (
                <ul>
                  {target.addresses.map((a) => (
                    <li>
                      <Typed>{a.text}</Typed> {a.country ? `(${countryName(a.country)})` : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Fact>
            <Fact label={en("field.target.assets")}>
              <Typed>{target.assets}</Typed>
            </Fact>
            <Fact label={t("detail.relations")}>
              {relations.some((r) => r.from === n) ? (
                <ul data-testid="relations">
                  {relations
                    .filter((r) => r.from === n)
                    .map((r) => (
                      <li>
                        {t(`detail.relation.${r.kind}`)} <Typed>{nameOf(r.to, r.name)}</Typed>
                        {r.note ? (
                          <>
                            {" "}
                            — <Typed>{r.note}</Typed>
                          </>
                        ) : null}
                      </li>
                    ))}
                </ul>
              ) : null}
            </Fact>
          </dl>
        </section>
      ))}
    </>
  );
}

/** The evidence item by item, with what its sender consented to. */
export function EvidenceItems({ t, items }: { t: StaffTranslate; items: RecommendationInput["evidence"]["items"] }) {
  if (!items?.length) return null;
  return (
    <ol class="items" data-testid="evidence-items">
      {items.map((item) => (
        <li>
          <strong>{t(`detail.evidence_kind.${item.kind}`)}</strong>: <Typed>{item.description}</Typed>
          {item.source ? (
            <>
              {" "}
              · <Typed>{item.source}</Typed>
            </>
          ) : null}
          {item.date ? ` · ${item.date}` : ""}
          {item.url ? (
            <>
              {" "}
              ·{" "}
              <a href={item.url} rel="noreferrer nofollow noopener" target="_blank">
                {item.url}
              </a>
            </>
          ) : null}
          <br />
          <span class="muted" data-testid="consent">
            {item.consent.governments ? t("detail.consent.governments_yes") : t("detail.consent.governments_no")} ·{" "}
            {item.consent.public ? t("detail.consent.public_yes") : t("detail.consent.public_no")}
          </span>
        </li>
      ))}
    </ol>
  );
}
