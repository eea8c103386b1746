import { randomBytes, timingSafeEqual, toBase64Url } from "../domain/encoding.ts";
import { hmac, hmacKey } from "./derived-keys.ts";

/**
 * Upload ids carry their own proof: 16 random bytes and 16 bytes of an HMAC
 * over them (base64url, 44 characters). The upload routes check it before
 * touching anything, so a request for an id nobody was given costs no
 * object and no storage.
 */
const RANDOM_CHARS = 22;

async function mac(secret: string, random: string): Promise<string> {
  return toBase64Url((await hmac(await hmacKey(secret, "upload ids"), random)).slice(0, 16));
}

export async function newUploadId(env: Env): Promise<string> {
  const random = toBase64Url(randomBytes(16));
  return random + (await mac(env.DATA_KEY, random));
}

/** Whether `id` was made here: under DATA_KEY, or a retired key still listed in DATA_KEY_PREVIOUS. */
export async function isUploadId(env: Env, id: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{44}$/.test(id)) return false;
  const random = id.slice(0, RANDOM_CHARS);
  const previous = ((env as { DATA_KEY_PREVIOUS?: string }).DATA_KEY_PREVIOUS ?? "").split(",");
  for (const secret of [env.DATA_KEY, ...previous].map((s) => s.trim()).filter(Boolean)) {
    if (timingSafeEqual(id.slice(RANDOM_CHARS), await mac(secret, random))) return true;
  }
  return false;
}
