/**
 * A condition a write needs, put in its statement's WHERE. Its SQL binds its
 * values from `?first` on, after the statement's own.
 */
export type Condition = (first: number) => { sql: string; values: (string | number)[] };

/**
 * Statements that run first in a write's batch, and the condition the write
 * then needs: the rate limits, counted and judged in the same round trip as
 * the first thing a request stores.
 */
export interface Gate {
  before: D1PreparedStatement[];
  condition: Condition;
}
