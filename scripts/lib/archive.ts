import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";

/**
 * The backup archive: one file, written and read as a stream of records so
 * its size is bounded by the disk, not by memory. After a one-line header in
 * clear (the format and how the key is derived: from DATA_KEY, or from a
 * passphrase with scrypt, and a random salt), each record is
 *
 *   4 bytes: the length of what follows (big-endian)
 *   AES-256-GCM of (1 byte: 0 JSON, 1 file bytes; then the payload), with
 *   the record's number as its nonce and the header as associated data,
 *
 * so a record cannot be changed, dropped, reordered or moved to another
 * archive unnoticed, and the last record ({"kind":"end"}) shows the archive
 * was not cut short.
 */
const MAGIC = "DOSSIER-BACKUP 1";
const INFO = "dossier backup 1";
const JSON_RECORD = 0;
const BYTES_RECORD = 1;
/** scrypt with 128 MiB of memory: slow to guess a passphrase, quick enough once. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 };

export type Secret = { dataKey: string } | { passphrase: string };

interface Header {
  kdf: "data-key" | "scrypt";
  salt: string;
  scrypt?: typeof SCRYPT;
}

function keyFor(header: Header, secret: Secret): Buffer {
  const salt = Buffer.from(header.salt, "base64");
  if (header.kdf === "scrypt") {
    if (!("passphrase" in secret))
      throw new ArchiveError("this backup was encrypted with a passphrase: pass --passphrase");
    const { N, r, p } = header.scrypt ?? SCRYPT;
    return scryptSync(secret.passphrase.normalize("NFC"), salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
  }
  if (!("dataKey" in secret)) throw new ArchiveError("this backup was encrypted with DATA_KEY, not a passphrase");
  return Buffer.from(hkdfSync("sha256", secret.dataKey, salt, INFO, 32));
}

function nonce(index: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeBigUInt64BE(BigInt(index), 4);
  return bytes;
}

export class ArchiveError extends Error {}

export class ArchiveWriter {
  private index = 0;
  private readonly file: FileHandle;
  private readonly key: Buffer;
  private readonly aad: Buffer;

  private constructor(file: FileHandle, key: Buffer, aad: Buffer) {
    this.file = file;
    this.key = key;
    this.aad = aad;
  }

  /** Creates the file (refusing to overwrite one) and writes its header. */
  static async create(path: string, secret: Secret): Promise<ArchiveWriter> {
    const header: Header =
      "passphrase" in secret
        ? { kdf: "scrypt", salt: randomBytes(16).toString("base64"), scrypt: SCRYPT }
        : { kdf: "data-key", salt: randomBytes(16).toString("base64") };
    const line = Buffer.from(`${MAGIC} ${JSON.stringify(header)}\n`);
    const file = await open(path, "wx", 0o600);
    await file.write(line);
    return new ArchiveWriter(file, keyFor(header, secret), line);
  }

  json(value: unknown): Promise<void> {
    return this.record(JSON_RECORD, Buffer.from(JSON.stringify(value)));
  }

  bytes(chunk: Uint8Array): Promise<void> {
    return this.record(BYTES_RECORD, chunk);
  }

  /** The closing record (what a reader needs to see the archive whole), then the file is closed. */
  async end(summary: object): Promise<void> {
    await this.json({ kind: "end", ...summary });
    await this.file.sync();
    await this.file.close();
  }

  /** Closes without the end record: a reader will say the archive is incomplete. */
  abandon(): Promise<void> {
    return this.file.close();
  }

  private async record(type: number, payload: Uint8Array): Promise<void> {
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce(this.index++));
    cipher.setAAD(this.aad);
    const sealed = Buffer.concat([
      cipher.update(Buffer.of(type)),
      cipher.update(payload),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    await this.file.write(Buffer.concat([length, sealed]));
  }
}

export type ArchiveRecord =
  | { type: "json"; value: { kind: string; [key: string]: unknown } }
  | { type: "bytes"; value: Buffer };

/** Reads an archive record by record, each authenticated before it is given; throws ArchiveError on anything wrong. */
export async function* readArchive(path: string, secret: Secret): AsyncGenerator<ArchiveRecord> {
  const file = await open(path, "r");
  try {
    const start = Buffer.alloc(4096);
    const { bytesRead } = await file.read(start, 0, start.length, 0);
    const newline = start.subarray(0, bytesRead).indexOf(10);
    const first = start.subarray(0, newline).toString("utf8");
    if (newline < 0 || !first.startsWith(`${MAGIC} `)) throw new ArchiveError("this is not a Dossier backup");
    const aad = start.subarray(0, newline + 1);
    const key = keyFor(JSON.parse(first.slice(MAGIC.length + 1)) as Header, secret);
    let position = newline + 1;
    let ended = false;
    for (let index = 0; ; index++) {
      const length = Buffer.alloc(4);
      const got = (await file.read(length, 0, 4, position)).bytesRead;
      if (got === 0) break;
      const size = length.readUInt32BE();
      const sealed = Buffer.alloc(size);
      if (got < 4 || (await file.read(sealed, 0, size, position + 4)).bytesRead < size) {
        throw new ArchiveError("the backup is cut short");
      }
      position += 4 + size;
      const decipher = createDecipheriv("aes-256-gcm", key, nonce(index));
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(size - 16));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(0, size - 16)), decipher.final()]);
      } catch {
        throw new ArchiveError(
          index === 0
            ? "the backup cannot be decrypted: wrong key or passphrase"
            : `record ${index} of the backup was changed or is damaged`,
        );
      }
      if (ended) throw new ArchiveError("the backup goes on after its end");
      if (plain[0] === BYTES_RECORD) yield { type: "bytes", value: plain.subarray(1) };
      else {
        const value = JSON.parse(plain.subarray(1).toString("utf8")) as { kind: string };
        ended = value.kind === "end";
        yield { type: "json", value };
      }
    }
    if (!ended) throw new ArchiveError("the backup is cut short (its end is missing): it was not finished");
  } finally {
    await file.close();
  }
}
