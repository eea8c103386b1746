import { custodyApi } from "./custody-api.ts";
import { exportsApi } from "./exports-api.ts";
import { filingsApi } from "./filings-api.ts";
import { apiApp } from "./openapi.ts";
import { recommendationsApi } from "./recommendations-api.ts";
import { reviewApi } from "./review-api.ts";
import { screeningApi } from "./screening-api.ts";
import { statsApi } from "./stats-api.ts";
import { statusApi } from "./status-api.ts";

/** The JSON API under /api (submitting, following up, reviewing, exporting), described by /api/openapi.json. */
export const api = apiApp();

api.route("/", recommendationsApi);
api.route("/", statusApi);
api.route("/", reviewApi);
api.route("/", filingsApi);
api.route("/", exportsApi);
api.route("/", custodyApi);
api.route("/", screeningApi);
api.route("/", statsApi);

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "A token from `npm run token -- create`",
});

const DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "Dossier API", version: "1.0.0", license: { name: "Proprietary" } },
  servers: [{ url: "/api" }],
};

api.doc31("/openapi.json", DOCUMENT);

/** The document, made once per isolate on first use (not at startup). */
let generated: ReturnType<typeof api.getOpenAPI31Document> | undefined;
export function openApiDocument() {
  generated ??= api.getOpenAPI31Document(DOCUMENT);
  return generated;
}
