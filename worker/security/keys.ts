import { type DataKey, importDataKey } from "../security/crypto.ts";

let cached: { secret: string; key: Promise<DataKey> } | undefined;
let previous: { secret: string; keys: Promise<DataKey[]> } | undefined;

/** The AES key from the `DATA_KEY` secret, imported once per isolate: what everything new is sealed with. */
export function dataKey(env: Env): Promise<DataKey> {
  if (!env.DATA_KEY) throw new Error("DATA_KEY is not set (npm start writes one into .dev.vars)");
  if (cached?.secret !== env.DATA_KEY) cached = { secret: env.DATA_KEY, key: importDataKey(env.DATA_KEY) };
  return cached.key;
}

/**
 * Every key that may have sealed something: DATA_KEY, then the retired ones
 * in the optional DATA_KEY_PREVIOUS secret (comma-separated). Each sealed
 * value names its key, so rotating is: put the old key in
 * DATA_KEY_PREVIOUS, a new one in DATA_KEY; new data uses the new key.
 */
export async function dataKeys(env: Env): Promise<DataKey[]> {
  const secret = (env as { DATA_KEY_PREVIOUS?: string }).DATA_KEY_PREVIOUS ?? "";
  if (previous?.secret !== secret) {
    const list = secret
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    previous = { secret, keys: Promise.all(list.map(importDataKey)) };
  }
  return [await dataKey(env), ...(await previous.keys)];
}
