import { exportPage, type RecommendationFilter } from "../db/recommendations.ts";
import { csvLine } from "../domain/csv.ts";
import { exportColumns, exportRow, type Labeller, partColumns, partRows } from "../domain/export-columns.ts";
import type { Filing } from "../domain/filings.ts";
import { type FtmSource, toFtm } from "../domain/ftm.ts";
import { presentRecommendation } from "./present.ts";

/**
 * Rows fetched from D1 per round (one batch: the rows, their files, their
 * filings): the export never holds more than one page. Over 100,000 rows the
 * local runtime grew least with pages of 100 (~150 MB, against ~165 with 500
 * and ~185 with 50), and three reads a page instead of one batch cost ~90 MB.
 */
export const EXPORT_PAGE = 100;

export type ExportFormat = "csv" | "targets" | "evidence" | "filings" | "ndjson" | "ftm";

type Presented = Awaited<ReturnType<typeof presentRecommendation>> & {
  link: string;
  files: { id: string; name: string; size: number; sha256: string; type: string }[];
  filings: Filing[];
};

/** Every recommendation matching `filter`, a page at a time, in intake order (a keyset: stable while rows arrive). */
async function* pages(
  env: Env,
  filter: RecommendationFilter,
  withContact: boolean,
  origin: string,
): AsyncGenerator<Presented[]> {
  let after = 0;
  for (;;) {
    const { rows, files, filings } = await exportPage(env.DB, filter, after, EXPORT_PAGE);
    if (rows.length === 0) return;
    yield await Promise.all(
      rows.map(async (row) => ({
        ...(await presentRecommendation(env, row, withContact)),
        link: `${origin}/review/${row.id}`,
        files: files
          .filter((f) => f.recSeq === row.seq)
          .map((f) => ({ id: f.id, name: f.filename, size: f.size, sha256: f.sha256, type: f.contentType })),
        filings: filings.get(row.id) ?? [],
      })),
    );
    after = rows.at(-1)?.seq ?? after;
    if (rows.length < EXPORT_PAGE) return;
  }
}

/**
 * An export as a stream of text, produced as the client reads it: CSV
 * (header, then a row per recommendation), NDJSON (a recommendation per
 * line) or FollowTheMoney NDJSON (an entity per line). A failure halfway
 * aborts the stream, so a client never mistakes a cut file for a whole one.
 */
export function exportStream(
  env: Env,
  format: ExportFormat,
  filter: RecommendationFilter,
  options: {
    withContact: boolean;
    bom?: boolean;
    /** Where this Dossier answers, for each row's link to its page. */
    origin: string;
    /** Words instead of codes in CSV cells (`?labels=LOCALE`). */
    label?: Labeller;
    /**
     * Called once the last row is read (before the stream closes: when it
     * fails, the export fails) or when the client stops reading: how many
     * recommendations went out, and whether that was all of them.
     */
    onEnd?: (rows: number, complete: boolean) => Promise<void>;
  },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const columns = exportColumns(options.withContact);
  const source = pages(env, filter, options.withContact, options.origin);
  let started = false;
  let rows = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      if (!started) {
        started = true;
        if (format === "csv") text += `${options.bom ? "\uFEFF" : ""}${csvLine(columns)}`;
        if (format === "targets" || format === "evidence" || format === "filings") {
          text += `${options.bom ? "\uFEFF" : ""}${csvLine(partColumns(format))}`;
        }
      }
      const next = await source.next().catch(async (error) => {
        await options.onEnd?.(rows, false).catch(() => {});
        throw error;
      });
      if (next.done) {
        await options.onEnd?.(rows, true);
        if (text) controller.enqueue(encoder.encode(text));
        controller.close();
        return;
      }
      rows += next.value.length;
      for (const rec of next.value) {
        if (format === "csv") text += csvLine(exportRow(rec, columns, options.label));
        else if (format === "targets" || format === "evidence" || format === "filings")
          for (const row of partRows(rec, format, options.label)) text += csvLine(row);
        else if (format === "ndjson") text += `${JSON.stringify(rec)}\n`;
        else for (const entity of toFtm(rec as unknown as FtmSource)) text += `${JSON.stringify(entity)}\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await source.return(undefined);
      await options.onEnd?.(rows, false);
    },
  });
}
