/**
 * `npm run signing-key`: a new Ed25519 signing key for production. The last
 * line is the value for `npx wrangler secret put SIGNING_KEY` (shown once,
 * kept nowhere); the line before it, the public key that will be published.
 */
import { newSigningKey } from "./lib/dev-vars.ts";

const secret = newSigningKey();
const { x, kid } = JSON.parse(Buffer.from(secret, "base64").toString("utf8")) as { x: string; kid: string };
console.log(
  `Public key (published at /.well-known/dossier-signing-key.json): ${JSON.stringify({ kty: "OKP", crv: "Ed25519", x, kid })}`,
);
console.log("SIGNING_KEY (put it in with `npx wrangler secret put SIGNING_KEY`; it is not shown again):");
console.log(secret);
