/**
 * `npm run backup -- --out FILE [--passphrase P] [--remote --url URL]`
 *
 * One encrypted archive of everything Dossier holds: every file in the
 * bucket as stored, every D1 table, and every recommendation object's state
 * and log, in the order a restore needs them. Read through the Worker a page
 * or a chunk at a time and written as it comes, so memory stays flat however
 * large the data. The key comes from DATA_KEY (the environment, or .dev.vars
 * locally) unless --passphrase is given. Neither key is in the archive: keep
 * DATA_KEY and SIGNING_KEY as carefully as the archive, a restore needs them.
 */
import { ArchiveWriter } from "./lib/archive.ts";
import { commandLine, fail } from "./lib/args.ts";
import { type BackupSession, openSession, secretOf } from "./lib/backup-session.ts";
import { readDataKey } from "./lib/dev-vars.ts";

const { values } = commandLine({
  out: { type: "string" },
  passphrase: { type: "string" },
  remote: { type: "boolean" },
  url: { type: "string" },
});
if (!values.out) fail("usage: npm run backup -- --out FILE [--passphrase P] [--remote --url URL]");
const target = { remote: values.remote ?? false };
const secret = secretOf(values.passphrase, readDataKey());

/** File bytes go into records of at most this much. */
const CHUNK = 1024 * 1024;

interface Manifest {
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
  data_key: string;
}

async function files(session: BackupSession, out: ArchiveWriter): Promise<{ files: number; bytes: number }> {
  let cursor: string | null = "";
  const counts = { files: 0, bytes: 0 };
  while (cursor !== null) {
    const page: { files: { key: string; size: number }[]; cursor: string | null } = await session.json(
      `/files?cursor=${encodeURIComponent(cursor)}`,
    );
    for (const file of page.files) {
      await out.json({ kind: "file", ...file });
      const res = await session.call(`/file?key=${encodeURIComponent(file.key)}`);
      let read = 0;
      for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (let at = 0; at < piece.length; at += CHUNK) await out.bytes(piece.subarray(at, at + CHUNK));
        read += piece.length;
      }
      if (read !== file.size) throw new Error(`${file.key} came back with ${read} of its ${file.size} bytes`);
      counts.files++;
      counts.bytes += read;
    }
    cursor = page.cursor;
  }
  return counts;
}

async function tables(session: BackupSession, out: ArchiveWriter, manifest: Manifest): Promise<number> {
  let rows = 0;
  for (const table of manifest.tables) {
    await out.json({ kind: "table", name: table.name, columns: table.columns });
    for (let after = 0; ; ) {
      const page = await session.json<{ rows: [number, ...unknown[]][] }>(
        `/tables/${encodeURIComponent(table.name)}?after=${after}`,
      );
      if (page.rows.length === 0) break;
      await out.json({ kind: "rows", table: table.name, rows: page.rows });
      rows += page.rows.length;
      after = page.rows.at(-1)?.[0] as number;
    }
  }
  return rows;
}

async function objects(session: BackupSession, out: ArchiveWriter): Promise<{ objects: number; unopened: string[] }> {
  const counts = { objects: 0, unopened: [] as string[] };
  for (let after = 0; ; ) {
    const page = await session.json<{ recommendations: { seq: number; id: string }[] }>(
      `/recommendations?after=${after}`,
    );
    if (page.recommendations.length === 0) break;
    for (const { id } of page.recommendations) {
      const res = await fetchObject(session, id);
      if (res === null) counts.unopened.push(id);
      else {
        await out.json({ kind: "object", id, backup: res });
        counts.objects++;
      }
    }
    after = page.recommendations.at(-1)?.seq as number;
  }
  return counts;
}

/** An object never opened (intake could not reach it; the Cron Trigger opens it from D1 later) has nothing to keep. */
async function fetchObject(session: BackupSession, id: string): Promise<unknown | null> {
  try {
    return await session.json(`/recommendations/${encodeURIComponent(id)}`);
  } catch (error) {
    if (String(error).includes("answered 404")) return null;
    throw error;
  }
}

const session = await openSession(target, values.url);
let out: ArchiveWriter | undefined;
try {
  const manifest = await session.json<Manifest>("");
  out = await ArchiveWriter.create(values.out, secret).catch((error) =>
    fail(error.code === "EEXIST" ? `${values.out} exists already: choose another name` : String(error)),
  );
  const takenAt = new Date().toISOString();
  await out.json({ kind: "manifest", taken_at: takenAt, migrations: manifest.migrations, data_key: manifest.data_key });
  // In the order a restore needs: files first, then D1, then the objects (which then bring D1's queue in line).
  const stored = await files(session, out);
  const rows = await tables(session, out, manifest);
  const held = await objects(session, out);
  const counts = { files: stored.files, bytes: stored.bytes, rows, objects: held.objects };
  await session.call("/done", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "backup", counts }),
  });
  await out.end({ counts });
  console.log(
    `Backed up ${stored.files} files (${stored.bytes} bytes), ${rows} rows of ${manifest.tables.length} tables and ${held.objects} recommendation objects to ${values.out}`,
  );
  if (held.unopened.length > 0) {
    console.log(`${held.unopened.length} recommendations had no object yet (opened from D1 after a restore).`);
  }
} catch (error) {
  await out?.abandon();
  console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
  console.error(`${values.out} is incomplete: a restore will refuse it.`);
  process.exitCode = 1;
} finally {
  await session.close();
}
