import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/wrangler.ts";
import { npmOn, queryState } from "../helpers/local-state.ts";

/**
 * `npm run lists` as an operator runs it, offline, against a local state of
 * its own: the fixture of real designations in, then a changed file again.
 */
const state = mkdtempSync(join(tmpdir(), "dossier-lists-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));
const FIXTURE = join(ROOT, "test/fixtures/designations.ftm.ndjson");

const lists = (args: string[]) => npmOn(state, "lists", args);

const query = <Row>(sql: string) => queryState<Row>(state, sql);

describe("npm run lists", () => {
  it("imports FollowTheMoney NDJSON, indexes every name and alias, and updates in place recording what changed", () => {
    const first = lists(["import", FIXTURE]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("loaded 16 entities from designations.ftm.ndjson: 16 added, 0 changed, 0 removed");

    const [kadyrov] = query<{ party: string; programs: string; datasets: string }>(
      "SELECT party, programs, datasets FROM list_entities WHERE id = 'fx-kadyrov'",
    );
    expect(JSON.parse(kadyrov?.party as string)).toMatchObject({
      kind: "person",
      names: ["Ramzan Akhmatovich Kadyrov", "Рамзан Ахматович Кадыров"],
      birth_date: "1976-10-05",
      nationalities: ["RU"],
    });
    expect(JSON.parse(kadyrov?.programs as string)).toEqual(["US-GLOMAG"]);
    // The Cyrillic alias and the Latin name share their keys: both find him.
    const keys = query<{ key: string }>("SELECT key FROM name_keys WHERE owner = 'fx-kadyrov'").map((r) => r.key);
    expect(keys.length).toBeGreaterThan(3);
    expect(query("SELECT * FROM list_entities WHERE schema = 'Address'")).toEqual([]);

    // Again, changed: one designation gone, one new, one with another birth date.
    const lines = readFileSync(FIXTURE, "utf8").trim().split("\n");
    const changed = lines
      .filter((l) => !l.includes('"fx-chen-mingguo"') && !l.includes('"entity": ["fx-chen-mingguo"]'))
      .map((l) => (l.includes('"id": "fx-karimova"') ? l.replace("1972-07-08", "1972-07-09") : l));
    changed.push(
      JSON.stringify({
        id: "fx-new",
        schema: "Person",
        properties: { name: ["Test Designee"] },
        datasets: ["gb_hmt_sanctions"],
      }),
    );
    const second = join(state, "second.ndjson");
    writeFileSync(second, `${changed.join("\n")}\n`);
    const again = lists(["import", second]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("loaded 16 entities from second.ndjson: 1 added, 1 changed, 1 removed");
    const changes = query<{ entity_id: string; change: string }>(
      "SELECT entity_id, change FROM list_changes c JOIN list_imports i ON i.id = c.import_id WHERE i.source = 'second.ndjson' ORDER BY change",
    );
    expect(changes).toEqual([
      { entity_id: "fx-new", change: "added" },
      { entity_id: "fx-chen-mingguo", change: "removed" },
      { entity_id: "fx-karimova", change: "updated" },
    ]);
    expect(query("SELECT * FROM name_keys WHERE owner = 'fx-chen-mingguo'")).toEqual([]);

    const status = lists(["status"]);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain("us_ofac_sdn\t13 entities");
    expect(status.stdout).toContain("from second.ndjson: 16 loaded, 1 added, 1 changed, 1 removed");
  });

  it("refuses a file that is not FollowTheMoney NDJSON, naming the line", () => {
    const bad = join(state, "bad.ndjson");
    writeFileSync(bad, '{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\nnot json\n');
    const result = lists(["import", bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("bad.ndjson, line 2: not a JSON object");
  });
});
