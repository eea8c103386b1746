/**
 * `npm run lists -- import FILE [--remote]`: loads a sanctions list in
 * FollowTheMoney NDJSON (one entity a line, as OpenSanctions publishes it)
 * into D1 for screening; importing again updates it in place and records
 * what was added, changed and removed.
 * `npm run lists -- status [--remote]`: entities per dataset and the last imports.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import {
  beginImport,
  finishImport,
  type ImportRow,
  STATUS,
  type Statement,
  stageEntities,
} from "../worker/db/lists.ts";
import { entitiesOf, type FtmLine } from "../worker/domain/lists.ts";
import { commandLine, fail } from "./lib/args.ts";
import { execute, executeFile, literal, migrate, packInserts } from "./lib/d1.ts";

const { command, args, values } = commandLine({ remote: { type: "boolean" } });
const target = { remote: values.remote ?? false };
if (!target.remote) migrate(target);

function inlined(statement: Statement): string {
  let i = 0;
  return `${statement.sql.replace(/\?/g, () => literal(statement.params[i++]))};`;
}

/** A statement as the query `execute` runs. */
const query = (s: Statement) => ({ toSQL: () => s });

async function* lines(path: string): AsyncGenerator<FtmLine> {
  let number = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as FtmLine;
    } catch {
      fail(`${path}, line ${number}: not a JSON object`);
    }
  }
}

switch (command) {
  case "import": {
    const file = args[0];
    if (!file) fail("usage: npm run lists -- import FILE [--remote]");
    const all: FtmLine[] = [];
    for await (const line of lines(file)) all.push(line);
    const entities = entitiesOf(all);
    if (entities.length === 0) fail(`${file}: no person or organisation in it (FollowTheMoney NDJSON expected)`);
    const id = `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
    const statements = [
      ...beginImport(id, basename(file), new Date().toISOString()),
      ...stageEntities(entities),
      ...finishImport(id, new Date().toISOString()),
    ];
    const dir = mkdtempSync(join(tmpdir(), "dossier-lists-"));
    try {
      const sqlFile = join(dir, "import.sql");
      writeFileSync(sqlFile, packInserts(statements.map(inlined)).join("\n"));
      executeFile(sqlFile, target);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [done] = execute<ImportRow>(query({ sql: "SELECT * FROM list_imports WHERE id = ?", params: [id] }), target);
    console.log(
      `loaded ${done?.loaded ?? 0} entities from ${basename(file)}: ${done?.added ?? 0} added, ${done?.updated ?? 0} changed, ${done?.removed ?? 0} removed`,
    );
    break;
  }
  case "status": {
    const datasets = execute<{ dataset: string; entities: number }>(query(STATUS.datasets), target);
    const imports = execute<ImportRow>(query(STATUS.imports), target);
    if (datasets.length === 0) console.log("no list loaded: npm run lists -- import FILE");
    for (const d of datasets) console.log(`${d.dataset}\t${d.entities} entities`);
    for (const i of imports) {
      console.log(
        `import ${i.started_at} from ${i.source}: ${i.loaded ?? "?"} loaded, ${i.added ?? "?"} added, ${i.updated ?? "?"} changed, ${i.removed ?? "?"} removed${i.finished_at ? "" : " (unfinished)"}`,
      );
    }
    break;
  }
  default:
    fail("usage: npm run lists -- import FILE [--remote] | status [--remote]");
}
