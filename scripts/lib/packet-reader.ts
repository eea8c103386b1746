import { createHash } from "node:crypto";
import yauzl from "yauzl";
import { KEY_FILE, MANIFEST, SIGNATURE } from "../../worker/domain/packet.ts";

/** Entries small enough to read whole: the manifest, its signature, the key, the record and the log. */
const KEPT = new Set([MANIFEST, SIGNATURE, KEY_FILE, "recommendation.json", "events.json"]);
const KEPT_MAX = 64 * 1024 * 1024;

export interface ReadPacket {
  /** Every entry's SHA-256 and size, read a chunk at a time (evidence never sits in memory whole). */
  entries: Map<string, { sha256: string; size: number }>;
  /** The bytes of the few entries the check reads as JSON or text. */
  kept: Map<string, Buffer>;
}

/** Reads a packet ZIP from disk: hashes every entry as it streams, keeps the small ones. */
export function readPacket(path: string): Promise<ReadPacket> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("not a ZIP file"));
      const packet: ReadPacket = { entries: new Map(), kept: new Map() };
      zip.on("error", reject);
      zip.on("end", () => resolve(packet));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        if (packet.entries.has(entry.fileName)) return reject(new Error(`${entry.fileName} is in the ZIP twice`));
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const hash = createHash("sha256");
          const chunks: Buffer[] = [];
          let size = 0;
          const keep = KEPT.has(entry.fileName);
          stream.on("data", (chunk: Buffer) => {
            hash.update(chunk);
            size += chunk.length;
            if (keep && size <= KEPT_MAX) chunks.push(chunk);
          });
          stream.on("error", reject);
          stream.on("end", () => {
            packet.entries.set(entry.fileName, { sha256: hash.digest("hex"), size });
            if (keep) packet.kept.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
