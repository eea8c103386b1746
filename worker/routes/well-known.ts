import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { publicSigningKey, publicSigningKeys } from "../security/signing.ts";

/** Public keys anyone needs to check what Dossier signs, offline. */
export const wellKnown = new Hono<AppEnv>();

/** The key that signs now, as a JWK (`kty: "OKP"`, `crv: "Ed25519"`, `x`, `kid`). */
wellKnown.get("/dossier-signing-key.json", async (c) => c.json(await publicSigningKey(c.env)));

/** Every key whose signatures still check, current first (a JWK Set): rotation keeps old ones here. */
wellKnown.get("/dossier-signing-keys.json", async (c) => c.json({ keys: await publicSigningKeys(c.env) }));
