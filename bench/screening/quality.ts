/**
 * Screening match quality: the matcher (`compare`) against labelled name
 * pairs (pairs.json: public designations, across scripts), beside an exact
 * lower-cased name match. Precision and recall are over the "same" class.
 * `node bench/screening/quality.ts [threshold]` prints the result as JSON.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compare, MARK_FROM, type Party } from "../../worker/domain/screening.ts";

interface Side {
  name: string;
  kind?: "person" | "entity";
  birth_date?: string;
  nationalities?: string[];
}

interface Pair {
  a: Side;
  b: Side;
  same: boolean;
  scripts: string[];
  note: string;
}

interface Quality {
  precision: number;
  recall: number;
  f1: number;
}

export interface MatchQuality {
  pairs: number;
  same: number;
  different: number;
  /** How many pairs have a side written in each script (ISO 15924). */
  scripts: Record<string, number>;
  threshold: number;
  matcher: Quality;
  baseline: Quality;
  /** The threshold (0.50–0.95) with the best recall at precision ≥ 0.90, else the most precise one. */
  best: { threshold: number; precision: number; recall: number };
  /** Pairs the matcher gets wrong at `threshold`, furthest from it first. */
  misses: { a: string; b: string; score: number; same: boolean }[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function loadPairs(): Pair[] {
  return JSON.parse(readFileSync(new URL("./pairs.json", import.meta.url), "utf8")) as Pair[];
}

const party = (side: Side): Party => ({
  names: [side.name],
  kind: side.kind,
  birth_date: side.birth_date,
  nationalities: side.nationalities,
});

/** Precision and recall of "same" predictions; a class never predicted counts as precision 0. */
function quality(predicted: readonly boolean[], actual: readonly boolean[]): Quality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++;
    else if (p) fp++;
    else if (actual[i]) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1) };
}

export function measureMatchQuality(threshold = MARK_FROM): MatchQuality {
  const pairs = loadPairs();
  const actual = pairs.map((p) => p.same);
  const scores = pairs.map((p) => compare(party(p.a), party(p.b)).score);
  const exact = pairs.map((p) => p.a.name.toLowerCase().trim() === p.b.name.toLowerCase().trim());

  const scripts: Record<string, number> = {};
  for (const p of pairs) for (const s of new Set(p.scripts)) scripts[s] = (scripts[s] ?? 0) + 1;

  const sweep = Array.from({ length: 10 }, (_, i) => round(0.5 + i * 0.05)).map((t) => ({
    threshold: t,
    ...quality(
      scores.map((s) => s >= t),
      actual,
    ),
  }));
  const precise = sweep.filter((q) => q.precision >= 0.9);
  const pick = (precise.length > 0 ? precise : sweep).reduce((best, q) =>
    precise.length > 0
      ? q.recall > best.recall || (q.recall === best.recall && q.precision > best.precision)
        ? q
        : best
      : q.precision > best.precision
        ? q
        : best,
  );

  const misses = pairs
    .map((p, i) => ({ a: p.a.name, b: p.b.name, score: scores[i] ?? 0, same: p.same }))
    .filter((m) => m.score >= threshold !== m.same)
    .sort((x, y) => Math.abs(y.score - threshold) - Math.abs(x.score - threshold))
    .slice(0, 40);

  return {
    pairs: pairs.length,
    same: actual.filter(Boolean).length,
    different: actual.filter((s) => !s).length,
    scripts,
    threshold,
    matcher: quality(
      scores.map((s) => s >= threshold),
      actual,
    ),
    baseline: quality(exact, actual),
    best: { threshold: pick.threshold, precision: pick.precision, recall: pick.recall },
    misses,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = process.argv[2];
  console.log(JSON.stringify(measureMatchQuality(arg === undefined ? undefined : Number(arg)), null, 2));
}
