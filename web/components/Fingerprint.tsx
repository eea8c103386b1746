import type { Translate } from "../i18n/index.ts";

/** The submission's fingerprint (its content hash) and what it proves, for the submitter to keep. */
export function Fingerprint({ t, hash }: { t: Translate; hash: string | null }) {
  if (!hash) return null;
  return (
    <section aria-labelledby="fingerprint-title">
      <h2 id="fingerprint-title">{t("fingerprint.title")}</h2>
      <p>
        <code class="hash" dir="ltr" data-testid="fingerprint">
          {hash}
        </code>
      </p>
      <p class="hint">{t("fingerprint.hint")}</p>
    </section>
  );
}
