import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../../worker/domain/encoding.ts";
import { sign } from "../../worker/security/signing.ts";
import { call } from "../helpers/http.ts";

describe("the signing key", () => {
  it("publishes its public half, and never the private one", async () => {
    const res = await call("/.well-known/dossier-signing-key.json");
    expect(res.status).toBe(200);
    const jwk = (await res.json()) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(jwk.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jwk.d).toBeUndefined();
    const set = (await (await call("/.well-known/dossier-signing-keys.json")).json()) as { keys: unknown[] };
    expect(set.keys[0]).toEqual(jwk);
  });

  it("signs so that anyone holding only the published key can check it, and a changed byte fails", async () => {
    const jwk = (await (await call("/.well-known/dossier-signing-key.json")).json()) as JsonWebKey & { kid: string };
    const manifest = new TextEncoder().encode('{"recommendation":{"reference":"REC-2026-00001"}}');
    const { signature, kid } = await sign(env, manifest);
    expect(kid).toBe(jwk.kid);
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, "Ed25519", false, [
      "verify",
    ]);
    expect(await crypto.subtle.verify("Ed25519", key, fromBase64(signature), manifest)).toBe(true);
    const altered = manifest.slice();
    altered[5] = (altered[5] as number) ^ 1;
    expect(await crypto.subtle.verify("Ed25519", key, fromBase64(signature), altered)).toBe(false);
  });
});
