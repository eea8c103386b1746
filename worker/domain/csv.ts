/**
 * CSV as RFC 4180 (comma, CRLF, quotes doubled), for spreadsheet programs.
 * A cell a spreadsheet would run as a formula (= + - @ at the start, and not
 * a plain number) is prefixed with an apostrophe: names and summaries come
 * from the public and must not execute on a coordinator's machine.
 */
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+([.,]\d+)?$/;

export function csvCell(value: string): string {
  const safe = FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
