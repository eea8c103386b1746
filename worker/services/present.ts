import type { RecommendationRow } from "../db/recommendations.ts";
import { joinSensitive, readRecord, type SensitiveFields } from "../domain/sensitive.ts";
import { open, sealContext } from "../security/crypto.ts";
import { dataKeys } from "../security/keys.ts";

/** The sealed fields of a row, or null when they do not open for it (copied from another row, or altered). */
export async function openSealed(
  env: Env,
  row: Pick<RecommendationRow, "id" | "sealed">,
): Promise<SensitiveFields | null> {
  try {
    return JSON.parse(await open(await dataKeys(env), row.sealed, sealContext(row.id))) as SensitiveFields;
  } catch (error) {
    console.error("the sealed fields of a recommendation do not open for it", row.id, String(error));
    return null;
  }
}

/**
 * A stored recommendation in the JSON shape of the API plus its server
 * fields. Sensitive fields are decrypted only when `withContact` is true;
 * sealed fields that do not belong to the row are left out and flagged
 * (`sealed_unreadable`), never shown; purged ones are gone (`purged_at`).
 */
export async function presentRecommendation(env: Env, row: RecommendationRow, withContact: boolean) {
  const record = readRecord(row.record);
  // Purged: there is nothing left to open, and that is no fault.
  const opened = withContact && !row.purgedAt ? await openSealed(env, row) : undefined;
  const sensitive = opened ?? undefined;
  return {
    id: row.id,
    reference: row.reference,
    language: row.language,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    step: row.step,
    // By email, as people know each other (the assign action takes either); the id if the account is gone.
    assignee: row.assigneeEmail ?? row.assignee,
    overdue: row.overdue,
    ...joinSensitive(record, sensitive),
    ...(opened === null ? { sealed_unreadable: true } : {}),
    ...(row.purgedAt ? { purged_at: row.purgedAt } : {}),
  };
}
