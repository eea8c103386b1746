import type { Locale } from "../../worker/domain/locales.ts";
import { FileList, type FileView } from "../components/FileList.tsx";
import { Fingerprint } from "../components/Fingerprint.tsx";
import { PublicLayout } from "../components/Layout.tsx";
import { RegimeWarnings, type WarningView } from "../components/RegimeWarnings.tsx";
import type { Translate } from "../i18n/index.ts";

interface SubmittedPageProps {
  locale: Locale;
  t: Translate;
  submitted: {
    reference: string;
    receipt: string;
    files: readonly FileView[];
    /** A repeat of a submission already taken in: the reference again, never the receipt. */
    replay: boolean;
    /** The content hash fixed in the first event: what the submitter can later prove they sent. */
    fingerprint: string | null;
    /** Programmes asked for that cannot reach what was described: accepted, and said. */
    warnings: readonly WarningView[];
  };
}

/**
 * The answer to a successful submission: the reference, and the receipt code
 * shown this once. A repeat of the same form post (the browser's "resubmit",
 * perhaps on a seized machine) shows the reference only.
 */
export function SubmittedPage({ locale, t, submitted }: SubmittedPageProps) {
  const { reference, receipt, files, replay } = submitted;
  return (
    <PublicLayout locale={locale} t={t} title={t("done.title")}>
      <h1>{t("done.title")}</h1>
      <dl class="receipt">
        <dt>{t("done.reference")}</dt>
        <dd data-testid="reference" dir="ltr">
          {reference}
        </dd>
        {replay ? null : (
          <>
            <dt>{t("done.receipt")}</dt>
            <dd>
              <output class="code" data-testid="receipt-code" dir="ltr" aria-describedby="receipt-hint">
                {receipt}
              </output>
            </dd>
          </>
        )}
      </dl>
      {replay ? (
        <p class="notice" data-testid="replay">
          {t("done.replay")}
        </p>
      ) : (
        <>
          <p id="receipt-hint" class="warning">
            {t("done.receipt.hint")}
          </p>
          <p class="hint">{t("done.receipt.copy")}</p>
        </>
      )}
      <RegimeWarnings t={t} warnings={submitted.warnings} />
      <Fingerprint t={t} hash={submitted.fingerprint} />
      {files.length > 0 ? (
        <>
          <h2>{t("done.files")}</h2>
          <FileList t={t} files={files} />
        </>
      ) : null}
      <p>{t("done.next")}</p>
      <p>
        <a href={`/${locale}/status`}>{t("done.status_link")}</a>
      </p>
    </PublicLayout>
  );
}
