/** A date known to the year, the month or the day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export const PARTIAL_DATE = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

export function isPartialDate(value: string): boolean {
  const m = PARTIAL_DATE.exec(value);
  if (!m) return false;
  const [, year, month, day] = m;
  if (!day) return true;
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return d.getUTCDate() === Number(day);
}

/** The first day a partial date can mean (`2020` → `2020-01-01`). */
export function earliest(value: string): string {
  return `${value}${"-01-01".slice(value.length - 4)}`;
}

/** The last day a partial date can mean (`2020-02` → `2020-02-31`; only compared, never shown). */
export function latest(value: string): string {
  return `${value}${"-12-31".slice(value.length - 4)}`;
}

/** True when `end` cannot be before `start` whatever the unknown parts are. */
export function notBefore(end: string, start: string): boolean {
  return latest(end) >= earliest(start);
}
