/** Named numbers kept in D1 (the yearly reference counter, the reconciliation's place in its rolling pass). */

export async function readCounter(db: D1Database, name: string): Promise<number> {
  const row = await db.prepare("SELECT value FROM counters WHERE name = ?").bind(name).first<{ value: number }>();
  return row?.value ?? 0;
}

export async function writeCounter(db: D1Database, name: string, value: number): Promise<void> {
  await db
    .prepare("INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?2")
    .bind(name, value)
    .run();
}
