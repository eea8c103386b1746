import type { WarningView } from "../../web/components/RegimeWarnings.tsx";
import type { Translate } from "../../web/i18n/index.ts";
import type { RegimeWarning } from "../domain/regimes.ts";

/** The regime warnings in the reader's language: `code: "regime_mismatch"`, the field, and a sentence naming the programme. */
export function regimeWarningViews(
  t: Translate,
  warnings: readonly RegimeWarning[],
): (WarningView & { code: RegimeWarning["code"] })[] {
  return warnings.map((w) => ({
    path: w.path,
    code: w.code,
    message: t(`regime.${w.problem}`, { programme: t(`jurisdiction.${w.programme}`) }),
  }));
}
