/**
 * `npm run verify -- FILE.zip [--key FILE|URL]`: checks a Dossier packet
 * offline (the signature of its manifest, every file's SHA-256, the event
 * log up to its head, and the content hash), prints what it checked, and
 * exits 0 when everything holds, or 1 naming what failed.
 *
 * `--key` is the coalition's public key: a file or a URL with one JWK, a
 * list of them, or `{ keys: […] }` (its /.well-known/dossier-signing-keys.json).
 * Without it, the key inside the packet is used, which proves the packet is
 * intact but not who made it: compare that key with the one the coalition
 * publishes.
 */
import { readFileSync } from "node:fs";
import type { LoggedEvent } from "../worker/domain/event-log.ts";
import {
  checkPacket,
  KEY_FILE,
  MANIFEST,
  type PacketRecommendation,
  type PublicKeyJwk,
  SIGNATURE,
} from "../worker/domain/packet.ts";
import { commandLine } from "./lib/args.ts";
import { readPacket } from "./lib/packet-reader.ts";

function keysOf(json: unknown): PublicKeyJwk[] {
  if (Array.isArray(json)) return json as PublicKeyJwk[];
  if (json && typeof json === "object" && Array.isArray((json as { keys?: unknown }).keys)) {
    return (json as { keys: PublicKeyJwk[] }).keys;
  }
  return [json as PublicKeyJwk];
}

async function loadKeys(source: string): Promise<PublicKeyJwk[]> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`the key at ${source} answered ${res.status}`);
    return keysOf(await res.json());
  }
  return keysOf(JSON.parse(readFileSync(source, "utf8")));
}

function stop(message: string): never {
  console.error(`NOT VERIFIED: ${message}`);
  process.exit(1);
}

const { command: file, values } = commandLine({ key: { type: "string" } });
if (!file) {
  console.error("usage: npm run verify -- FILE.zip [--key FILE|URL]");
  process.exit(2);
}

const packet = await readPacket(file).catch((error) => stop(`${file} cannot be read as a ZIP (${error})`));
const text = (name: string) => {
  const bytes = packet.kept.get(name);
  if (!bytes) stop(`${name} is missing from the packet`);
  return bytes.toString("utf8");
};
const json = <T>(name: string): T => {
  try {
    return JSON.parse(text(name)) as T;
  } catch {
    stop(`${name} is not valid JSON`);
  }
};

let keys: PublicKeyJwk[];
if (values.key) {
  keys = await loadKeys(values.key).catch((error) => stop(`the key cannot be read: ${error.message ?? error}`));
} else {
  keys = keysOf(json<unknown>(KEY_FILE));
  console.log(
    `Note: checking against the key inside the packet (kid ${keys[0]?.kid}). It proves the packet is intact, not who made it; pass --key with the key the coalition publishes to prove that.`,
  );
}

const manifestBytes = packet.kept.get(MANIFEST) ?? stop(`${MANIFEST} is missing from the packet`);
// A packet for a government carries neither the record nor the log (the manifest says which it is).
const forGovernment = Boolean(json<{ programme?: string }>(MANIFEST).programme);
const report = await checkPacket({
  entries: packet.entries,
  manifestBytes: new Uint8Array(manifestBytes),
  signature: text(SIGNATURE).trim(),
  recommendation: forGovernment ? undefined : json<PacketRecommendation>("recommendation.json"),
  events: forGovernment ? undefined : json<LoggedEvent[]>("events.json"),
  keys,
});

const { reference } = json<{ recommendation: { reference: string } }>(MANIFEST).recommendation;
console.log(`Packet ${file} (${reference})`);
for (const line of report.checked) console.log(`  checked: ${line}`);
for (const line of report.failures) console.log(`  FAILED: ${line}`);
if (report.ok) {
  console.log(
    forGovernment
      ? "VERIFIED: the signature and every file hold."
      : "VERIFIED: the signature, every file, the event log and the content hash hold.",
  );
} else {
  console.log(`NOT VERIFIED: ${report.failures.length} check(s) failed.`);
  process.exit(1);
}
