import { type DataKey, importDataKey } from "../security/crypto.ts";

let cached: { secret: string; key: Promise<DataKey> } | undefined;

/** The AES key from the `DATA_KEY` secret, imported once per isolate. */
export function dataKey(env: Env): Promise<DataKey> {
  if (!env.DATA_KEY) throw new Error("DATA_KEY is not set (npm start writes one into .dev.vars)");
  if (cached?.secret !== env.DATA_KEY) cached = { secret: env.DATA_KEY, key: importDataKey(env.DATA_KEY) };
  return cached.key;
}
