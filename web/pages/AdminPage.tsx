import { StaffLayout } from "../components/Layout.tsx";
import type { StaffTranslate } from "../i18n/index.ts";

/** An API token as the admin page lists it (never the token itself). */
export interface TokenItem {
  name: string;
  scopes: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An entry of the audit log as the admin page lists it. */
export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: object;
}

/** The newest entries of the audit log, and whether the whole log recomputes. */
export interface AuditView {
  latest: readonly AuditItem[];
  entries: number;
  brokenAt: number | null;
}

interface AdminPageProps {
  t: StaffTranslate;
  tokens: readonly TokenItem[];
  audit: AuditView;
  csrf: string | undefined;
  /** The reconciliation batch just done: where it stopped, whether there is more, and the running total. */
  done?: { lastSeq: number; more: boolean; total: number };
}

const day = (iso: string | null, never: string) => (iso ? iso.slice(0, 16).replace("T", " ") : never);

export function AdminPage({ t, done, tokens, audit, csrf }: AdminPageProps) {
  const now = new Date().toISOString();
  return (
    <StaffLayout title={t("admin.title")} locale={t.locale}>
      <p>
        <a href="/review">{t("detail.back")}</a>
      </p>
      <h1>{t("admin.title")}</h1>
      <section class="panel">
        <h2>{t("admin.reconcile")}</h2>
        <p class="hint">{t("admin.reconcile.hint")}</p>
        {done ? (
          <p class="notice" role="status" data-testid="reconciled">
            {done.more
              ? t("admin.reconcile.done", { count: done.total, seq: done.lastSeq })
              : t("admin.reconcile.finished")}
          </p>
        ) : null}
        {!done || done.more ? (
          <form method="post" action="/admin/reconcile">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="after" value={done?.lastSeq ?? 0} />
            <input type="hidden" name="total" value={done?.total ?? 0} />
            <button type="submit">{t(done ? "admin.reconcile.continue" : "admin.reconcile.start")}</button>
          </form>
        ) : null}
      </section>
      <section class="panel">
        <h2>{t("admin.tokens")}</h2>
        <p class="hint">{t("admin.tokens.hint")}</p>
        {tokens.length === 0 ? (
          <p>{t("admin.tokens.none")}</p>
        ) : (
          <table class="queue" data-testid="tokens">
            <thead>
              <tr>
                <th scope="col">{t("token.name")}</th>
                <th scope="col">{t("token.scopes")}</th>
                <th scope="col">{t("token.created")}</th>
                <th scope="col">{t("token.expires")}</th>
                <th scope="col">{t("token.last_used")}</th>
                <th scope="col">{t("token.state")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr>
                  <td>{token.name}</td>
                  <td>{token.scopes.replace(/,/g, ", ")}</td>
                  <td>{day(token.createdAt, "")}</td>
                  <td>{day(token.expiresAt, t("token.never"))}</td>
                  <td>{day(token.lastUsedAt, t("token.never"))}</td>
                  <td>
                    {token.revokedAt
                      ? t("token.revoked")
                      : token.expiresAt && token.expiresAt <= now
                        ? t("token.expired")
                        : t("token.active")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Audit t={t} audit={audit} />
    </StaffLayout>
  );
}

function Audit({ t, audit }: { t: StaffTranslate; audit: AuditView }) {
  return (
    <section class="panel">
      <h2>{t("admin.audit")}</h2>
      <p class="hint">{t("admin.audit.hint")}</p>
      <p class={audit.brokenAt === null ? "notice" : "error-summary"} data-testid="audit-verdict">
        {audit.brokenAt === null
          ? t("admin.audit.ok", { count: audit.entries })
          : t("admin.audit.broken", { seq: audit.brokenAt })}
      </p>
      {audit.latest.length === 0 ? null : (
        <table class="queue" data-testid="audit">
          <thead>
            <tr>
              <th scope="col">{t("event.seq")}</th>
              <th scope="col">{t("event.at")}</th>
              <th scope="col">{t("audit.actor")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("audit.subject")}</th>
              <th scope="col">{t("audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {audit.latest.map((entry) => (
              <tr>
                <td>{entry.seq}</td>
                <td>{day(entry.at, "")}</td>
                <td>{entry.actor}</td>
                <td>{t(`audit.action.${entry.action}` as "audit.action.download")}</td>
                <td>
                  {entry.subject === "recommendations" ? (
                    entry.subject
                  ) : (
                    <a href={`/review/${entry.subject}`}>{entry.subject}</a>
                  )}
                </td>
                <td>
                  <code>{JSON.stringify(entry.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
