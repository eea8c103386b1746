import { fromBase64, sha256Hex, toBase64Url } from "../domain/encoding.ts";

/**
 * What leaves Dossier signed (packets for governments) is signed with an
 * Ed25519 key from the `SIGNING_KEY` secret: base64 of the private key as a
 * JWK (`npm start` makes a local one). Its public half is published at
 * `/.well-known/dossier-signing-key.json`, so anyone can check a signature
 * offline; keys retired by a rotation stay published (`SIGNING_KEYS_PREVIOUS`,
 * base64 of a JSON array of public JWKs), so what they signed still checks.
 */
export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

let cached: { secret: string; key: Promise<SigningKey> } | undefined;

/** The key id: the first 8 hex of SHA-256 of the public key (`x`), whatever the secret said. */
async function kidOf(x: string): Promise<string> {
  return (await sha256Hex(x)).slice(0, 8);
}

async function importSigningKey(secret: string): Promise<SigningKey> {
  const jwk = JSON.parse(new TextDecoder().decode(fromBase64(secret.trim()))) as JsonWebKey;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.x) {
    throw new Error("SIGNING_KEY must be base64 of an Ed25519 private JWK (npm start makes one)");
  }
  const privateKey = await crypto.subtle.importKey(
    "jwk",
    { kty: "OKP", crv: "Ed25519", d: jwk.d, x: jwk.x },
    "Ed25519",
    false,
    ["sign"],
  );
  const kid = await kidOf(jwk.x);
  return { kid, privateKey, publicJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x, kid } };
}

function signingKey(env: Env): Promise<SigningKey> {
  if (!env.SIGNING_KEY) throw new Error("SIGNING_KEY is not set (npm start writes one into .dev.vars)");
  if (cached?.secret !== env.SIGNING_KEY) cached = { secret: env.SIGNING_KEY, key: importSigningKey(env.SIGNING_KEY) };
  return cached.key;
}

/** The public key that checks what Dossier signs now. */
export async function publicSigningKey(env: Env): Promise<PublicJwk> {
  return (await signingKey(env)).publicJwk;
}

/** Every public key that may have signed something still around: the current one first. */
export async function publicSigningKeys(env: Env): Promise<PublicJwk[]> {
  const previous = (env as { SIGNING_KEYS_PREVIOUS?: string }).SIGNING_KEYS_PREVIOUS;
  const retired = previous ? (JSON.parse(new TextDecoder().decode(fromBase64(previous.trim()))) as JsonWebKey[]) : [];
  const keys = await Promise.all(
    retired
      .filter((k) => k.kty === "OKP" && k.crv === "Ed25519" && k.x)
      .map(async (k) => ({ kty: "OKP", crv: "Ed25519", x: k.x as string, kid: await kidOf(k.x as string) }) as const),
  );
  return [await publicSigningKey(env), ...keys];
}

/** Signs `bytes` (e.g. a manifest's exact bytes): base64url of the Ed25519 signature, and the key's id. */
export async function sign(env: Env, bytes: Uint8Array): Promise<{ signature: string; kid: string }> {
  const key = await signingKey(env);
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, bytes));
  return { signature: toBase64Url(signature), kid: key.kid };
}
