import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { appliedMigrations, dataTables, insertRows, type Row, readRows, rowCounts } from "../db/backup.ts";
import { listIds } from "../db/recommendations.ts";
import { FILE_PART } from "../domain/backup.ts";
import { AppError } from "../domain/errors.ts";
import { type ObjectBackup, recommendationObject } from "../durable/recommendation.ts";
import type { AppEnv } from "../env.ts";
import { keyedHash } from "../security/derived-keys.ts";
import { requireToken } from "../security/token-auth.ts";
import { recordAccess } from "../services/audit.ts";
import { actorLabel } from "./viewer.ts";

/**
 * What `npm run backup` and `npm run restore` read and write through: D1's
 * tables row by row, the bucket's objects byte for byte as stored (sealed
 * originals stay sealed), and each recommendation object's state and log.
 * Only a token with the `backup` scope gets in (the commands make one for
 * their run and delete it after). Writes go only where nothing is yet.
 */
export const backup = new Hono<AppEnv>();
/** The largest body a restore sends: a part, or a few MiB of rows. */
const BODY_LIMIT = FILE_PART + 1024 * 1024;

backup.use("*", requireToken("backup"));
backup.use(
  "*",
  bodyLimit({
    maxSize: BODY_LIMIT,
    onError: () => {
      throw new AppError(413, `A backup request may carry at most ${BODY_LIMIT} bytes.`);
    },
  }),
);

/** The backup's own token is not data: it is left out of what is read and of what counts as "not empty". */
function ownToken(c: { get(key: "token"): { id: string } | undefined }) {
  return { column: "id", value: c.get("token")?.id ?? "" };
}

async function tableNamed(db: D1Database, name: string) {
  const table = (await dataTables(db)).find((t) => t.name === name);
  if (!table) throw new AppError(404, `No table ${name}.`);
  return table;
}

/**
 * What is here: the schema (applied migrations), the tables in the order
 * they restore, how many rows each holds, whether the bucket holds
 * anything, and which data key sealed values need (a fingerprint, not the key).
 */
backup.get("/", async (c) => {
  const tables = await dataTables(c.env.DB);
  const [migrations, counts, listed, dataKey] = await Promise.all([
    appliedMigrations(c.env.DB),
    rowCounts(c.env.DB, tables),
    c.env.FILES.list({ limit: 1 }),
    keyedHash(c.env.DATA_KEY, "backup-fingerprint", "data key"),
  ]);
  if (counts.api_tokens) counts.api_tokens -= 1;
  return c.json({
    migrations,
    tables: tables.map((t) => ({ ...t, rows: counts[t.name] ?? 0 })),
    files: listed.objects.length,
    data_key: dataKey.slice(0, 16),
  });
});

backup.get("/tables/:name", async (c) => {
  const table = await tableNamed(c.env.DB, c.req.param("name"));
  const after = Number(c.req.query("after") ?? 0);
  const rows = await readRows(c.env.DB, table, after, table.name === "api_tokens" ? ownToken(c) : undefined);
  return c.json({ columns: table.columns, rows });
});

backup.post("/tables/:name", async (c) => {
  const table = await tableNamed(c.env.DB, c.req.param("name"));
  const body = await c.req.json<{ columns: string[]; rows: Row[] }>();
  if (body.columns.join() !== table.columns.join()) {
    throw new AppError(409, `${table.name} has other columns here than in the backup: restore with the same version.`);
  }
  return c.json({ inserted: body.rows.length - (await insertRows(c.env.DB, table, body.rows)) });
});

backup.get("/files", async (c) => {
  const listed = await c.env.FILES.list({
    cursor: c.req.query("cursor") || undefined,
    include: ["customMetadata", "httpMetadata"],
  });
  return c.json({
    files: listed.objects.map((o) => ({
      key: o.key,
      size: o.size,
      custom_metadata: o.customMetadata ?? {},
      http_metadata: o.httpMetadata ?? {},
    })),
    cursor: listed.truncated ? listed.cursor : null,
  });
});

function keyOf(c: { req: { query(name: string): string | undefined } }): string {
  const key = c.req.query("key");
  if (!key) throw new AppError(422, "key is required.");
  return key;
}

backup.get("/file", async (c) => {
  const object = await c.env.FILES.get(keyOf(c));
  if (!object) throw new AppError(404, "No such file.");
  return new Response(object.body, { headers: { "Content-Length": String(object.size) } });
});

interface FileMeta {
  custom_metadata: Record<string, string>;
  http_metadata: R2HTTPMetadata;
}

function metaOf(header: string | undefined): FileMeta {
  try {
    return JSON.parse(header ?? "") as FileMeta;
  } catch {
    throw new AppError(422, "The Dossier-File header must hold the file's metadata as JSON.");
  }
}

async function refuseExisting(bucket: R2Bucket, key: string): Promise<void> {
  if (await bucket.head(key)) throw new AppError(409, `${key} is stored already.`);
}

/** A whole file of at most one part. */
backup.put("/file", async (c) => {
  const key = keyOf(c);
  const meta = metaOf(c.req.header("Dossier-File"));
  await refuseExisting(c.env.FILES, key);
  await c.env.FILES.put(key, await c.req.arrayBuffer(), {
    customMetadata: meta.custom_metadata,
    httpMetadata: meta.http_metadata,
  });
  return c.body(null, 204);
});

/** A larger file: started, sent in parts of FILE_PART bytes, then completed. */
backup.post("/file/start", async (c) => {
  const key = keyOf(c);
  const meta = metaOf(c.req.header("Dossier-File"));
  await refuseExisting(c.env.FILES, key);
  const upload = await c.env.FILES.createMultipartUpload(key, {
    customMetadata: meta.custom_metadata,
    httpMetadata: meta.http_metadata,
  });
  return c.json({ upload_id: upload.uploadId });
});

backup.put("/file/part", async (c) => {
  const upload = c.env.FILES.resumeMultipartUpload(keyOf(c), c.req.query("upload_id") ?? "");
  const part = await upload.uploadPart(Number(c.req.query("part")), await c.req.arrayBuffer());
  return c.json({ part_number: part.partNumber, etag: part.etag });
});

backup.post("/file/complete", async (c) => {
  const upload = c.env.FILES.resumeMultipartUpload(keyOf(c), c.req.query("upload_id") ?? "");
  const { parts } = await c.req.json<{ parts: { part_number: number; etag: string }[] }>();
  await upload.complete(parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })));
  return c.body(null, 204);
});

/** Recommendation ids, oldest first, a page at a time: whose objects a backup reads. */
backup.get("/recommendations", async (c) => {
  const rows = await listIds(c.env.DB, Number(c.req.query("after") ?? 0), 500);
  return c.json({ recommendations: rows.map((r) => ({ seq: r.seq, id: r.id })) });
});

backup.get("/recommendations/:id", async (c) => {
  const held = await recommendationObject(c.env, c.req.param("id")).backup();
  if (!held) throw new AppError(404, "This recommendation's object was never opened.");
  return c.json(held);
});

backup.put("/recommendations/:id", async (c) => {
  const result = await recommendationObject(c.env, c.req.param("id")).restore(await c.req.json<ObjectBackup>());
  if (!result.ok) throw new AppError(result.status, result.message);
  return c.body(null, 204);
});

/** The audit log records each backup and restore, at its end (a restore's entry follows the restored log). */
backup.post("/done", async (c) => {
  const { action, counts } = await c.req.json<{ action: "backup" | "restore"; counts: Record<string, number> }>();
  if (action !== "backup" && action !== "restore") throw new AppError(422, "action is backup or restore.");
  await recordAccess(c.env, { actor: actorLabel(c), action, subject: "everything", details: counts });
  return c.body(null, 204);
});
