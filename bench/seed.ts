import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { wrangler } from "../scripts/lib/wrangler.ts";

/**
 * Fills local D1 with `count` recommendations in one statement per table
 * (a recursive CTE generates the rows inside SQLite), as intake would store
 * them: row, tags and queue row. Their objects are not created: the queue and
 * the exports read D1 only.
 */
export function seedRecommendations(stateDir: string, count: number, first = 1): void {
  const file = join(stateDir, "seed.sql");
  writeFileSync(file, seedSql(count, first));
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file, "--yes"]);
}

/** The SQL that generates `count` recommendations, numbered from `first`. */
export function seedSql(count: number, first = 1): string {
  const n = `WITH RECURSIVE n(i) AS (SELECT ${first} UNION ALL SELECT i + 1 FROM n WHERE i < ${first + count - 1})`;
  // North Korea for one row in a thousand: the exports benchmark's small export of the same kind.
  const countries = "'UA','BY','SY','MM','RU','IR','CN','NI','VE','SD','ER'";
  const steps = "'received','triage','legal_review','evidence_review','final_approval','changes_requested','approved'";
  const record = JSON.stringify({
    submitter: { organization: "Bench organisation", country: "UA", may_be_named: true },
    target: {
      kind: "person",
      name: "x",
      aliases: ["Alias one", "Псевдоним"],
      nationalities: ["RU"],
      identifiers: [],
      positions: [],
    },
    conduct: {
      categories: ["torture"],
      involvement: "ordered",
      country: "UA",
      period_start: "2022",
      summary:
        "Benchmark summary of the conduct, long enough to look like a real one, with some اللغة العربية and 中文.",
    },
    jurisdictions: ["us_glomag"],
    evidence: { description: "Witness statements", links: ["https://example.org/report"] },
    safety: { risk_level: "medium", consent_to_share: true },
    attachments: [],
  }).replace(/'/g, "''");
  return `
${n} INSERT INTO recommendations (id, reference, language, created_at, receipt_hash, target_kind, target_name,
  target_name_latin, target_names, submitter_country, conduct_country, record, sealed)
SELECT 'bench-' || i, 'REC-2020-B' || i, 'en', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' minutes'),
  'bench-receipt-' || i, CASE i % 5 WHEN 0 THEN 'entity' ELSE 'person' END, 'Bench target ' || i, 'Bench Latin ' || i,
  'Bench target ' || i || char(10) || 'Bench Latin ' || i, 'UA', CASE WHEN i % 1000 = 0 THEN 'KP' ELSE json_extract(json_array(${countries}), '$[' || (i % 11) || ']') END,
  '${record}', 'v1.bench.x.y'
FROM n;
${n} INSERT INTO recommendation_categories (category, rec_seq)
SELECT json_extract(json_array('torture','bribery','laundering','arbitrary_detention'), '$[' || (i % 4) || ']'), r.seq
FROM n JOIN recommendations r ON r.id = 'bench-' || i;
${n} INSERT INTO recommendation_jurisdictions (jurisdiction, rec_seq)
SELECT json_extract(json_array('us_glomag','uk_global_human_rights','eu_global_human_rights'), '$[' || (i % 3) || ']'), r.seq
FROM n JOIN recommendations r ON r.id = 'bench-' || i;
${n} INSERT INTO queue (rec_seq, step, assignee, overdue, due_at, updated_at, event_seq)
SELECT r.seq, json_extract(json_array(${steps}), '$[' || (i % 7) || ']'), NULL, CASE WHEN i % 13 = 0 THEN 1 ELSE 0 END,
  NULL, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 7 % ${count}) || ' minutes'), 1
FROM n JOIN recommendations r ON r.id = 'bench-' || i;
`;
}
