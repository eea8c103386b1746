import type { Translate } from "../i18n/index.ts";

/** A programme asked for that cannot reach the conduct, a target, or anyone named, already in the reader's words. */
export interface WarningView {
  path: string;
  message: string;
}

/** The regime warnings of a recommendation just sent: accepted, and told why it may not fit. */
export function RegimeWarnings({ t, warnings }: { t: Translate; warnings: readonly WarningView[] }) {
  if (warnings.length === 0) return null;
  return (
    <section class="warning" data-testid="regime-warnings" aria-labelledby="regime-title">
      <h2 id="regime-title">{t("regime.title")}</h2>
      <ul>
        {warnings.map((w) => (
          <li data-path={w.path}>{w.message}</li>
        ))}
      </ul>
    </section>
  );
}
