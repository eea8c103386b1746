import { toHex } from "../../worker/domain/encoding.ts";
import type { LoggedEvent } from "../../worker/domain/event-log.ts";
import { checkPacket, type PacketRecommendation, type PublicKeyJwk } from "../../worker/domain/packet.ts";
import { call } from "./http.ts";

export async function publishedKey(): Promise<PublicKeyJwk> {
  return (await (await call("/.well-known/dossier-signing-key.json")).json()) as PublicKeyJwk;
}

/** What `npm run verify` does after reading the ZIP, on entries held in memory. */
export async function check(entries: Map<string, Uint8Array>, keys: PublicKeyJwk[]) {
  const hashed = new Map<string, { sha256: string; size: number }>();
  for (const [path, bytes] of entries) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
    hashed.set(path, { sha256: toHex(digest), size: bytes.length });
  }
  const json = <T>(name: string) => JSON.parse(new TextDecoder().decode(entries.get(name))) as T;
  return checkPacket({
    entries: hashed,
    manifestBytes: new Uint8Array(entries.get("manifest.json") as Uint8Array),
    signature: new TextDecoder().decode(entries.get("manifest.sig")).trim(),
    recommendation: json<PacketRecommendation>("recommendation.json"),
    events: json<LoggedEvent[]>("events.json"),
    keys,
  });
}
