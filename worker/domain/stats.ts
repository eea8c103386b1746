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

/** One filing as the statistics read it. */
export interface FilingFact {
  rec_id: string;
  programme: Programme;
  outcome: Outcome | null;
  /** Days from filing to the outcome, when there is one. */
  days: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(value * 10) / 10;
}

/** Each programme's filings, answers, share designated and median days to designation (every programme, filed or not). */
export function byProgramme(filings: readonly FilingFact[]): Record<Programme, ProgrammeFigures> {
  const figures = {} as Record<Programme, ProgrammeFigures>;
  for (const programme of JURISDICTIONS) {
    const mine = filings.filter((f) => f.programme === programme);
    const designated = mine.filter((f) => f.outcome === "designated");
    figures[programme] = {
      filed: mine.length,
      designated: designated.length,
      not_designated: mine.filter((f) => f.outcome === "not_designated").length,
      pending: mine.filter((f) => f.outcome === null).length,
      share_designated: mine.length ? Math.round((designated.length / mine.length) * 1000) / 1000 : null,
      median_days: median(designated.flatMap((f) => (f.days === null ? [] : [f.days]))),
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

/**
 * Multilateral gaps: recommendations designated by at least one government
 * and not (yet) by all of them, with where each other government stands.
 */
export function multilateralGaps(filings: readonly FilingFact[]): Gap[] {
  const byRec = new Map<string, FilingFact[]>();
  for (const f of filings) byRec.set(f.rec_id, [...(byRec.get(f.rec_id) ?? []), f]);
  const gaps: Gap[] = [];
  for (const [rec_id, mine] of byRec) {
    const status = (country: string) => {
      const asked = mine.filter((f) => PROGRAMME_COUNTRY[f.programme] === country);
      if (asked.some((f) => f.outcome === "designated")) return "designated";
      if (asked.some((f) => f.outcome === null)) return "awaiting";
      return asked.length ? "declined" : "not_filed";
    };
    const of = (wanted: string) => GOVERNMENTS.filter((g) => status(g) === wanted);
    const designated_by = of("designated");
    if (designated_by.length === 0 || designated_by.length === GOVERNMENTS.length) continue;
    gaps.push({
      rec_id,
      designated_by,
      awaiting: of("awaiting"),
      declined: of("declined"),
      not_filed: of("not_filed"),
    });
  }
  return gaps;
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
