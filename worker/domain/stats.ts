import { type Outcome, PROGRAMME_COUNTRY, type Programme } from "./filings.ts";
import { JURISDICTIONS } from "./recommendation.ts";

/**
 * The coalition's picture of itself: how many recommendations stand where,
 * what each programme did with what was filed, how long designations took,
 * and which targets one government designated and the others not yet.
 */

export interface ProgrammeFigures {
  filed: number;
  designated: number;
  not_designated: number;
  pending: number;
  /** Designated filings as a share of all filings under the programme (0–1), null when none was filed. */
  share_designated: number | null;
  /** Median days from filing to designation, null when nothing was designated. */
  median_days: number | null;
}

/** How many filings under a programme have one outcome (null: no answer yet), as the statistics count them. */
export interface OutcomeCount {
  programme: Programme;
  outcome: Outcome | null;
  n: number;
}

/** The median days from filing to designation under a programme (null: over all of them), as D1 takes it. */
export interface MedianDays {
  programme: Programme | null;
  /** Null when nothing was designated. */
  days: number | null;
}

/** Days to a tenth: the medians of an even count fall between two whole days. */
function tenths(days: number | null | undefined): number | null {
  return days == null ? null : Math.round(days * 10) / 10;
}

/** The median over every programme. */
export function overallMedian(medians: readonly MedianDays[]): number | null {
  return tenths(medians.find((m) => m.programme === null)?.days);
}

/** Each programme's filings, answers, share designated and median days to designation (every programme, filed or not). */
export function byProgramme(
  counts: readonly OutcomeCount[],
  medians: readonly MedianDays[],
): Record<Programme, ProgrammeFigures> {
  const figures = {} as Record<Programme, ProgrammeFigures>;
  for (const programme of JURISDICTIONS) {
    const mine = counts.filter((c) => c.programme === programme);
    const count = (outcome: Outcome | null) => mine.find((c) => c.outcome === outcome)?.n ?? 0;
    const filed = mine.reduce((sum, c) => sum + c.n, 0);
    const designated = count("designated");
    figures[programme] = {
      filed,
      designated,
      not_designated: count("not_designated"),
      pending: count(null),
      share_designated: filed ? Math.round((designated / filed) * 1000) / 1000 : null,
      median_days: tenths(medians.find((m) => m.programme === programme)?.days),
    };
  }
  return figures;
}

/** The five governments the coalition files with. */
export const GOVERNMENTS = [...new Set(Object.values(PROGRAMME_COUNTRY))];

export interface Gap {
  rec_id: string;
  /** Governments that designated. */
  designated_by: string[];
  /** Governments asked that have not answered yet. */
  awaiting: string[];
  /** Governments asked that declined. */
  declined: string[];
  /** Governments never asked. */
  not_filed: string[];
}

/** One filing's answer so far (null: none yet), as the gaps read it. */
export interface Answer {
  programme: Programme;
  outcome: Outcome | null;
}

/** A government's best answer under any of its programmes wins: designated over awaiting over declined. */
const STANDING = { declined: 1, awaiting: 2, designated: 3 } as const;

/**
 * A multilateral gap (a recommendation designated by at least one government
 * and not yet by all of them) from its filings' answers; a government with no
 * filing was never asked.
 */
export function gapOf(rec_id: string, answers: readonly Answer[]): Gap {
  const standings = new Map<string, number>();
  for (const { programme, outcome } of answers) {
    const government = PROGRAMME_COUNTRY[programme];
    const standing =
      outcome === "designated" ? STANDING.designated : outcome === null ? STANDING.awaiting : STANDING.declined;
    standings.set(government, Math.max(standings.get(government) ?? 0, standing));
  }
  const where = (standing: number | undefined) => GOVERNMENTS.filter((g) => standings.get(g) === standing);
  return {
    rec_id,
    designated_by: where(STANDING.designated),
    awaiting: where(STANDING.awaiting),
    declined: where(STANDING.declined),
    not_filed: where(undefined),
  };
}

/** The figures as `GET /api/v1/stats` and `/dashboard` show them. */
export interface Statistics {
  total: number;
  by_step: Record<string, number>;
  by_country: Record<string, number>;
  by_category: Record<string, number>;
  by_programme: Record<Programme, ProgrammeFigures>;
  /** Median days from filing to designation, over every programme. */
  median_days: number | null;
  multilateral: { count: number; items: (Gap & { reference: string; target: string })[] };
}
