/**
 * `npm run restore -- FILE [--passphrase P] [--remote --url URL]`
 *
 * Loads a backup (`npm run backup`) into an empty Dossier: the local state
 * (a fresh clone, or after deleting .wrangler/state), or with --remote a new
 * deployment (`npm run deploy` done, nothing submitted yet). It reads the
 * whole archive once to check every record before it writes anything, then
 * restores the files, D1's rows and each recommendation object. It refuses a
 * target that holds data, has another schema, or another DATA_KEY (the
 * sealed fields and files could not be read there).
 */
import { FILE_PART } from "../worker/domain/backup.ts";
import { ArchiveError, type ArchiveRecord, readArchive, type Secret } from "./lib/archive.ts";
import { commandLine, fail } from "./lib/args.ts";
import { type BackupSession, openSession, secretOf } from "./lib/backup-session.ts";
import { readDataKey } from "./lib/dev-vars.ts";

const { command: file, values } = commandLine({
  passphrase: { type: "string" },
  remote: { type: "boolean" },
  url: { type: "string" },
});
if (!file) fail("usage: npm run restore -- FILE [--passphrase P] [--remote --url URL]");
const target = { remote: values.remote ?? false };
const dataKey = readDataKey();
// Locally the Worker reads DATA_KEY from .dev.vars: without the backup's own there, nothing sealed could be read.
if (!target.remote && !dataKey) {
  fail("Put the DATA_KEY (and SIGNING_KEY) the backup was taken with into .dev.vars first: DATA_KEY=…");
}
const secret = secretOf(values.passphrase, dataKey);

/** Rows go to the Worker in requests of at most this much JSON. */
const ROWS_BODY = 4 * 1024 * 1024;

interface Manifest {
  kind: "manifest";
  taken_at: string;
  migrations: string[];
  data_key: string;
}

interface Here {
  migrations: string[];
  tables: { name: string; rows: number }[];
  files: number;
  data_key: string;
}

async function check(path: string, secret: Secret): Promise<Manifest> {
  let manifest: Manifest | undefined;
  for await (const record of readArchive(path, secret)) {
    if (!manifest) {
      if (record.type !== "json" || record.value.kind !== "manifest")
        throw new ArchiveError("the backup has no manifest");
      manifest = record.value as unknown as Manifest;
    }
  }
  return manifest as Manifest;
}

/** Refuses what a restore must not go into: data already there, another schema, another data key. */
function refuseUnlessEmpty(here: Here, manifest: Manifest): void {
  const fail = (message: string) => {
    throw new Error(message);
  };
  if (here.migrations.join() !== manifest.migrations.join()) {
    const last = (list: string[]) => list.at(-1) ?? "none";
    fail(
      `The backup's schema ends at migration ${last(manifest.migrations)}, this one at ${last(here.migrations)}: restore with the version of Dossier that took the backup, then upgrade.`,
    );
  }
  const full = here.tables.filter((t) => t.rows > 0).map((t) => `${t.name} (${t.rows})`);
  if (full.length > 0 || here.files > 0) {
    fail(
      `The target is not empty (${[...full, ...(here.files ? ["files"] : [])].join(", ")}): a restore goes only into an empty Dossier.`,
    );
  }
  if (here.data_key !== manifest.data_key) {
    fail(
      "The target's DATA_KEY is not the one the backup was taken with: its sealed fields and files could not be read there. Set the same DATA_KEY (and DATA_KEY_PREVIOUS) first.",
    );
  }
}

interface StoredFile {
  key: string;
  size: number;
  custom_metadata: object;
  http_metadata: object;
}

/** A file arrives as a header record, then its bytes: sent whole, or in parts once it is larger than one. */
class FileRestore {
  private buffered: Buffer[] = [];
  private size = 0;
  private uploadId: string | undefined;
  private parts: { part_number: number; etag: string }[] = [];

  private readonly session: BackupSession;
  private readonly file: StoredFile;

  constructor(session: BackupSession, file: StoredFile) {
    this.session = session;
    this.file = file;
  }

  private path(action: string, query = ""): string {
    return `/file${action}?key=${encodeURIComponent(this.file.key)}${query}`;
  }

  private headers() {
    return {
      "Dossier-File": JSON.stringify({
        custom_metadata: this.file.custom_metadata,
        http_metadata: this.file.http_metadata,
      }),
    };
  }

  async add(bytes: Buffer): Promise<void> {
    this.buffered.push(bytes);
    this.size += bytes.length;
    if (this.size >= FILE_PART && this.file.size > FILE_PART) await this.sendPart(FILE_PART);
  }

  private async sendPart(size: number): Promise<void> {
    const all = Buffer.concat(this.buffered);
    const part = all.subarray(0, size);
    this.buffered = [all.subarray(size)];
    this.size = all.length - size;
    this.uploadId ??= (
      await this.session.json<{ upload_id: string }>(this.path("/start"), { method: "POST", headers: this.headers() })
    ).upload_id;
    const query = `&upload_id=${encodeURIComponent(this.uploadId)}&part=${this.parts.length + 1}`;
    this.parts.push(await this.session.json(this.path("/part", query), { method: "PUT", body: part }));
  }

  async finish(): Promise<void> {
    if (this.file.size <= FILE_PART) {
      await this.session.call(this.path(""), {
        method: "PUT",
        headers: this.headers(),
        body: Buffer.concat(this.buffered),
      });
      return;
    }
    if (this.size > 0) await this.sendPart(this.size);
    await this.session.call(this.path("/complete", `&upload_id=${encodeURIComponent(this.uploadId ?? "")}`), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ parts: this.parts }),
    });
  }
}

/** Sends one table's rows; returns how many were there already. */
async function postRows(session: BackupSession, table: { name: string; columns: string[] }, rows: unknown[][]) {
  let batch: unknown[][] = [];
  let bytes = 0;
  let already = 0;
  const send = async () => {
    if (batch.length === 0) return;
    const { inserted } = await session.json<{ inserted: number }>(`/tables/${encodeURIComponent(table.name)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ columns: table.columns, rows: batch }),
    });
    already += batch.length - inserted;
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    const size = JSON.stringify(row).length;
    if (bytes + size > ROWS_BODY) await send();
    batch.push(row);
    bytes += size;
  }
  await send();
  return already;
}

async function restore(session: BackupSession, records: AsyncGenerator<ArchiveRecord>) {
  const counts = { files: 0, rows: 0, objects: 0, already: 0 };
  let current: FileRestore | undefined;
  let table: { name: string; columns: string[] } | undefined;
  for await (const record of records) {
    if (record.type === "bytes") {
      await current?.add(record.value);
      continue;
    }
    const value = record.value;
    await current?.finish();
    current = undefined;
    if (value.kind === "file") {
      current = new FileRestore(session, value as unknown as StoredFile);
      counts.files++;
    } else if (value.kind === "table") {
      table = { name: value.name as string, columns: value.columns as string[] };
    } else if (value.kind === "rows" && table) {
      counts.already += await postRows(session, table, value.rows as unknown[][]);
      counts.rows += (value.rows as unknown[]).length;
    } else if (value.kind === "object") {
      await session.call(`/recommendations/${encodeURIComponent(value.id as string)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(value.backup),
      });
      counts.objects++;
    }
  }
  return counts;
}

const manifest = await check(file, secret).catch((error) =>
  fail(`Not restored: ${error instanceof ArchiveError || error.code === "ENOENT" ? error.message : error}`),
);
console.log(`The backup of ${manifest.taken_at} is whole and authentic; restoring…`);
const session = await openSession(target, values.url);
try {
  refuseUnlessEmpty(await session.json<Here>(""), manifest);
  const counts = await restore(session, readArchive(file, secret));
  await session.call("/done", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "restore", counts }),
  });
  console.log(
    `Restored ${counts.files} files, ${counts.rows} rows and ${counts.objects} recommendation objects from the backup of ${manifest.taken_at}.`,
  );
  if (counts.already > 0) {
    console.log(
      `${counts.already} rows were there already and were kept (queue rows the Cron Trigger wrote meanwhile from restored objects).`,
    );
  }
} catch (error) {
  console.error(`Restore failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await session.close();
}
