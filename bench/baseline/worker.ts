/**
 * The intake benchmark's baseline: one bare D1 insert of the same row the
 * app stores, with no validation, encryption, workflow object or queue. The
 * app's intake is measured beside this. Not part of the app.
 */
// The one D1 method it uses (typed here: this file is type-checked with the Node code).
interface BaselineEnv {
  DB: { prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown> } } };
}

export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    const body = await request.text();
    const id = crypto.randomUUID();
    const record = JSON.parse(body) as { target?: { name?: string; kind?: string }; conduct?: { country?: string } };
    await env.DB.prepare(
      `INSERT INTO recommendations (id, reference, language, created_at, receipt_hash, target_kind, target_name,
         target_name_latin, submitter_country, conduct_country, record, sealed)
       VALUES (?1, ?1, 'en', ?2, ?1, ?3, ?4, NULL, 'UA', ?5, ?6, '')`,
    )
      .bind(
        id,
        new Date().toISOString(),
        record.target?.kind ?? "person",
        record.target?.name ?? "",
        record.conduct?.country ?? "UA",
        body,
      )
      .run();
    return Response.json({ id }, { status: 201 });
  },
};
