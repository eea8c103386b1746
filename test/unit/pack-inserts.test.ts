import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { literal, packInserts } from "../../scripts/lib/d1.ts";

const insert = (table: string, rows: string[][]) =>
  `INSERT OR IGNORE INTO ${table} (a, b) VALUES ${rows.map((r) => `(${r.map(literal).join(", ")})`).join(", ")};`;

/** What a list of statements leaves in a fresh database, in the order the rows went in. */
function contents(statements: readonly string[]) {
  const db = new DatabaseSync(":memory:");
  db.exec(
    "CREATE TABLE t (n INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE TABLE u (n INTEGER PRIMARY KEY, a TEXT, b TEXT)",
  );
  for (const statement of statements) db.exec(statement);
  return { t: db.prepare("SELECT * FROM t").all(), u: db.prepare("SELECT * FROM u").all() };
}

describe("packInserts", () => {
  it("joins consecutive INSERTs into the same columns, and nothing else", () => {
    const packed = packInserts([
      insert("t", [["1", "x"]]),
      insert("t", [
        ["2", "y"],
        ["3", "z"],
      ]),
      "DELETE FROM t WHERE a = '2';",
      insert("t", [["4", "w"]]),
      insert("u", [["5", "v"]]),
    ]);
    expect(packed).toEqual([
      "INSERT OR IGNORE INTO t (a, b) VALUES ('1', 'x'), ('2', 'y'), ('3', 'z');",
      "DELETE FROM t WHERE a = '2';",
      "INSERT OR IGNORE INTO t (a, b) VALUES ('4', 'w');",
      "INSERT OR IGNORE INTO u (a, b) VALUES ('5', 'v');",
    ]);
  });

  it("leaves the database as the statements one by one would, each packed statement within its bytes", () => {
    const row = fc.tuple(fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ maxLength: 40 }));
    const step = fc.oneof(
      fc.record({ table: fc.constantFrom("t", "u"), rows: fc.array(row, { minLength: 1, maxLength: 4 }) }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), fc.integer({ min: 200, max: 2_000 }), (steps, bytes) => {
        const statements = steps.map((s) => (s ? insert(s.table, s.rows) : "DELETE FROM t WHERE n % 3 = 0;"));
        const packed = packInserts(statements, bytes);
        expect(contents(packed)).toEqual(contents(statements));
        for (const statement of packed) {
          // A statement larger than the limit by itself is left as it was.
          if (!statements.includes(statement)) expect(Buffer.byteLength(statement)).toBeLessThanOrEqual(bytes);
        }
      }),
    );
  });
});
