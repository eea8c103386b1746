import { type ListedEntity, nameKeys } from "../domain/lists.ts";

/**
 * Loading a sanctions list: the statements, so the Worker (D1 batches) and
 * `npm run lists` (a SQL file through wrangler) load it the same way. An
 * import stages every entity of the file, then in a few statements records
 * what it adds, changes and removes, and replaces what was loaded: entities
 * of the file's datasets that the file no longer names are removed.
 */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** D1 binds at most 100 values a statement. */
const ENTITY_ROWS = 16;
const KEY_ROWS = 45;

export function beginImport(id: string, source: string, startedAt: string): Statement[] {
  return [
    { sql: "DELETE FROM list_staging", params: [] },
    { sql: "DELETE FROM list_staging_keys", params: [] },
    { sql: "INSERT INTO list_imports (id, source, started_at) VALUES (?, ?, ?)", params: [id, source, startedAt] },
  ];
}

export function rows<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function stageEntities(entities: readonly ListedEntity[]): Statement[] {
  const statements: Statement[] = rows(entities, ENTITY_ROWS).map((chunk) => ({
    sql: `INSERT OR REPLACE INTO list_staging (id, schema, caption, datasets, party, programs) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
    params: chunk.flatMap((e) => [
      e.id,
      e.schema,
      e.caption,
      JSON.stringify(e.datasets),
      JSON.stringify(e.party),
      JSON.stringify(e.programs),
    ]),
  }));
  const keys = entities.flatMap((e) => nameKeys(e.party).map((key) => [key, e.id] as const));
  for (const chunk of rows(keys, KEY_ROWS)) {
    statements.push({
      sql: `INSERT OR IGNORE INTO list_staging_keys (key, owner) VALUES ${chunk.map(() => "(?, ?)").join(", ")}`,
      params: chunk.flat(),
    });
  }
  return statements;
}

/** Entities loaded before, of a dataset the staged file covers, that the file no longer names. */
const GONE = `FROM list_entities e WHERE NOT EXISTS (SELECT 1 FROM list_staging s WHERE s.id = e.id)
  AND EXISTS (SELECT 1 FROM json_each(e.datasets) d
    WHERE d.value IN (SELECT DISTINCT j.value FROM list_staging, json_each(list_staging.datasets) AS j))`;

export function finishImport(id: string, finishedAt: string): Statement[] {
  return [
    {
      sql: `INSERT INTO list_changes (import_id, entity_id, change, caption)
        SELECT ?, s.id, 'added', s.caption FROM list_staging s WHERE NOT EXISTS (SELECT 1 FROM list_entities e WHERE e.id = s.id)`,
      params: [id],
    },
    {
      sql: `INSERT INTO list_changes (import_id, entity_id, change, caption)
        SELECT ?, s.id, 'updated', s.caption FROM list_staging s JOIN list_entities e ON e.id = s.id
        WHERE e.party <> s.party OR e.datasets <> s.datasets OR e.programs <> s.programs OR e.schema <> s.schema`,
      params: [id],
    },
    {
      sql: `INSERT INTO list_changes (import_id, entity_id, change, caption) SELECT ?, e.id, 'removed', e.caption ${GONE}`,
      params: [id],
    },
    {
      sql: "DELETE FROM name_keys WHERE owner IN (SELECT entity_id FROM list_changes WHERE import_id = ? AND change = 'removed')",
      params: [id],
    },
    {
      sql: "DELETE FROM list_entities WHERE id IN (SELECT entity_id FROM list_changes WHERE import_id = ? AND change = 'removed')",
      params: [id],
    },
    {
      sql: `INSERT INTO list_entities (id, schema, caption, datasets, party, programs, import_id)
        SELECT id, schema, caption, datasets, party, programs, ? FROM list_staging WHERE true
        ON CONFLICT (id) DO UPDATE SET schema = excluded.schema, caption = excluded.caption, datasets = excluded.datasets,
          party = excluded.party, programs = excluded.programs, import_id = excluded.import_id`,
      params: [id],
    },
    {
      sql: "DELETE FROM name_keys WHERE source = 'list' AND owner IN (SELECT id FROM list_staging)",
      params: [],
    },
    {
      sql: "INSERT OR IGNORE INTO name_keys (key, owner, source) SELECT key, owner, 'list' FROM list_staging_keys",
      params: [],
    },
    {
      sql: `UPDATE list_imports SET finished_at = ?,
        loaded = (SELECT COUNT(*) FROM list_staging),
        added = (SELECT COUNT(*) FROM list_changes WHERE import_id = ? AND change = 'added'),
        updated = (SELECT COUNT(*) FROM list_changes WHERE import_id = ? AND change = 'updated'),
        removed = (SELECT COUNT(*) FROM list_changes WHERE import_id = ? AND change = 'removed')
        WHERE id = ?`,
      params: [finishedAt, id, id, id, id],
    },
    { sql: "DELETE FROM list_staging", params: [] },
    { sql: "DELETE FROM list_staging_keys", params: [] },
  ];
}

export interface ImportRow {
  id: string;
  source: string;
  started_at: string;
  finished_at: string | null;
  loaded: number | null;
  added: number | null;
  updated: number | null;
  removed: number | null;
}

/** What is loaded: entities per dataset, and the last imports. */
export const STATUS = {
  datasets: {
    sql: "SELECT d.value AS dataset, COUNT(*) AS entities FROM list_entities, json_each(list_entities.datasets) AS d GROUP BY d.value ORDER BY d.value",
    params: [],
  },
  imports: { sql: "SELECT * FROM list_imports ORDER BY started_at DESC LIMIT 10", params: [] },
} satisfies Record<string, Statement>;
