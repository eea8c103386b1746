import type { RecommendationRow } from "../db/recommendations.ts";
import { joinSensitive, type OpenRecord, type SensitiveFields } from "../domain/sensitive.ts";
import { open } from "../security/crypto.ts";
import { dataKeys } from "./data-key.ts";

/**
 * A stored recommendation in the JSON shape of CONTRACT §3 plus its server
 * fields. Sensitive fields are decrypted only when `withContact` is true.
 */
export async function presentRecommendation(env: Env, row: RecommendationRow, withContact: boolean) {
  const record = JSON.parse(row.record) as OpenRecord;
  const sensitive = withContact
    ? (JSON.parse(await open(await dataKeys(env), row.sealed)) as SensitiveFields)
    : undefined;
  return {
    id: row.id,
    reference: row.reference,
    language: row.language,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    step: row.step,
    assignee: row.assignee,
    overdue: row.overdue,
    ...joinSensitive(record, sensitive),
  };
}
