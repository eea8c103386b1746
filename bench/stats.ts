/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Times `count` sequential calls of `fn`, after `warmup` untimed ones; milliseconds each. */
export async function timeSequential(
  count: number,
  warmup: number,
  fn: (i: number) => Promise<void>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

/** Each figure is measured this many times; the README shows the median with the lowest and highest. */
export const RUNS = 3;

/** The median of some runs of one figure, with the lowest and the highest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[], digits = 1): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: round(sorted[Math.floor((sorted.length - 1) / 2)] as number, digits),
    min: round(sorted[0] as number, digits),
    max: round(sorted[sorted.length - 1] as number, digits),
  };
}

/** Runs `fn` `times` times, one after another. */
export async function repeat<T>(times: number, fn: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < times; run++) results.push(await fn(run));
  return results;
}

/** p50 and p95 of each run of sequential requests, as spreads; the target is held by the median p95. */
export function latency(runs: readonly (readonly number[])[], targetP95Ms: number) {
  const p95 = spread(runs.map((times) => percentile(times, 95)));
  return {
    requests: runs[0]?.length ?? 0,
    runs: runs.length,
    p50_ms: spread(runs.map((times) => percentile(times, 50))),
    p95_ms: p95,
    target_p95_ms: targetP95Ms,
    ok: p95.median <= targetP95Ms,
  };
}
