import { createRoute, z } from "@hono/zod-openapi";
import { sees } from "../domain/access.ts";
import { LOCALES, type Locale } from "../domain/locales.ts";
import { requireStaffOrToken } from "../security/staff-or-token.ts";
import { recordAccess } from "../services/audit.ts";
import { type ExportFormat, exportStream } from "../services/export.ts";
import { exportLabeller } from "./export-labels.ts";
import { FilterQuery, toFilter } from "./filters.ts";
import { apiApp, bearer, errorResponse } from "./openapi.ts";
import { actorLabel, viewerOf } from "./viewer.ts";

/** Streamed exports: CSV, NDJSON and FollowTheMoney NDJSON, with the list's filters. */
export const exportsApi = apiApp();

const FORMATS: Record<ExportFormat, { path: string; id: string; type: string; file: string; summary: string }> = {
  csv: {
    path: "/v1/exports/recommendations.csv",
    id: "exportCsv",
    type: "text/csv; charset=utf-8",
    file: "recommendations.csv",
    summary: "Every matching recommendation as CSV (RFC 4180; lists joined with ` | `)",
  },
  targets: {
    path: "/v1/exports/targets.csv",
    id: "exportTargetsCsv",
    type: "text/csv; charset=utf-8",
    file: "targets.csv",
    summary: "Every target of every matching recommendation as CSV, a row per target, keyed by reference",
  },
  evidence: {
    path: "/v1/exports/evidence.csv",
    id: "exportEvidenceCsv",
    type: "text/csv; charset=utf-8",
    file: "evidence.csv",
    summary:
      "Every evidence item of every matching recommendation as CSV, a row per item with its consent, keyed by reference",
  },
  filings: {
    path: "/v1/exports/filings.csv",
    id: "exportFilingsCsv",
    type: "text/csv; charset=utf-8",
    file: "filings.csv",
    summary:
      "Every filing with a government of every matching recommendation as CSV, a row per filing with its outcome, keyed by reference",
  },
  ndjson: {
    path: "/v1/exports/recommendations.ndjson",
    id: "exportNdjson",
    type: "application/x-ndjson; charset=utf-8",
    file: "recommendations.ndjson",
    summary: "Every matching recommendation, one JSON object a line, with its filings and their outcomes",
  },
  ftm: {
    path: "/v1/exports/ftm.ndjson",
    id: "exportFollowTheMoney",
    type: "application/x-ndjson; charset=utf-8",
    file: "recommendations.ftm.ndjson",
    summary:
      "FollowTheMoney entities, one a line; each Sanction's status is Recommended, Filed, Designated or Not designated, from the filings",
  },
};

for (const [format, spec] of Object.entries(FORMATS) as [ExportFormat, (typeof FORMATS)[ExportFormat]][]) {
  exportsApi.openapi(
    createRoute({
      method: "get",
      path: spec.path,
      operationId: spec.id,
      summary: spec.summary,
      description:
        "Streamed from D1 a page at a time, in intake order. Sensitive fields only with the `contact` scope. A failure halfway aborts the download rather than ending it short.",
      security: bearer,
      // Bulk data leaves with coordinators, admins and tokens; a reviewer's session gets 403.
      middleware: [requireStaffOrToken("export", ["coordinator", "admin"])] as const,
      request: {
        query:
          format === "csv" || format === "targets" || format === "filings"
            ? FilterQuery.extend({
                bom: z.enum(["0", "1"]).optional(),
                labels: z.enum(LOCALES).optional().openapi({ description: "Words in this language instead of codes" }),
              })
            : FilterQuery,
      },
      responses: {
        200: { description: spec.summary, content: { [spec.type.split(";")[0] as string]: { schema: z.string() } } },
        401: errorResponse("Not signed in and no valid token"),
        403: errorResponse("The token lacks the export scope, or a reviewer is signed in"),
        422: errorResponse("A filter is not valid"),
      },
    }),
    (c) => {
      const query = c.req.valid("query") as z.infer<typeof FilterQuery> & { bom?: "0" | "1"; labels?: Locale };
      const withContact = sees(viewerOf(c), "contact");
      const actor = actorLabel(c);
      const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >;
      const stream = exportStream(c.env, format, toFilter(query), {
        withContact,
        origin: new URL(c.req.url).origin,
        label: query.labels ? exportLabeller(query.labels) : undefined,
        // Spreadsheet programs read UTF-8 only with it; a program that chokes on it asks for bom=0.
        bom: query.bom !== "0",
        onEnd: (rows, complete) =>
          recordAccess(c.env, {
            actor,
            action: "export",
            subject: "recommendations",
            details: { format, filters, rows, complete, contact: withContact },
          }),
      });
      const day = new Date().toISOString().slice(0, 10);
      return new Response(stream, {
        headers: {
          "Content-Type": spec.type,
          "Content-Disposition": `attachment; filename="${day}-${spec.file}"`,
          "Cache-Control": "no-store",
        },
      }) as never;
    },
  );
}
