/**
 * Bundles the browser's uploader (web/src/upload.ts with tus-js-client) into
 * web/public/js/, where the static assets are served from. Run by `npm start`,
 * `npm run deploy` and the browser tests; the output is not committed.
 */
import { build } from "esbuild";
import { ROOT } from "./lib/wrangler.ts";

await build({
  absWorkingDir: ROOT,
  entryPoints: ["web/src/upload.ts"],
  outdir: "web/public/js",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
