/**
 * The benchmarks' bare worker, not part of the app. POST: one bare D1 insert
 * of the same row the app stores, with no validation, encryption, workflow
 * object or queue (the intake baseline). GET `?after=SEQ`: the next page of
 * stored recommendations read and dropped (the exports' control: what
 * reading the rows through the local D1 costs with no export around it).
 * GET `?calls=N`: N D1 calls one after another, each returning one number
 * (`bench/d1-calls.ts`: what a call costs the local runtime's memory).
 */
// The one D1 method it uses (typed here: this file is type-checked with the Node code).
interface BaselineEnv {
  DB: {
    prepare(sql: string): {
      bind(...values: unknown[]): { run(): Promise<unknown>; all(): Promise<{ results: { seq: number }[] }> };
    };
  };
}

/** Rows a page, as the app's exports read them. */
const PAGE = 100;

export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    if (request.method === "GET") {
      const calls = Number(new URL(request.url).searchParams.get("calls") ?? 0);
      for (let i = 0; i < calls; i++) await env.DB.prepare("SELECT ? AS seq").bind(i).all();
      if (calls > 0) return Response.json({ calls });
      const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
      const { results } = await env.DB.prepare(`SELECT * FROM recommendations WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`)
        .bind(after)
        .all();
      return Response.json({ rows: results.length, last: results.at(-1)?.seq ?? null });
    }
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
