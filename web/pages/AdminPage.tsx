import type { ReconcileBatch } from "../../worker/services/reconcile.ts";
import { StaffLayout } from "../components/Layout.tsx";
import type { StaffTranslate } from "../i18n/index.ts";

interface AdminPageProps {
  t: StaffTranslate;
  /** The batch just done, with the running total. */
  done?: ReconcileBatch & { total: number };
}

export function AdminPage({ t, done }: AdminPageProps) {
  return (
    <StaffLayout title={t("admin.title")}>
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
            <input type="hidden" name="after" value={done?.lastSeq ?? 0} />
            <input type="hidden" name="total" value={done?.total ?? 0} />
            <button type="submit">{t(done ? "admin.reconcile.continue" : "admin.reconcile.start")}</button>
          </form>
        ) : null}
      </section>
    </StaffLayout>
  );
}
