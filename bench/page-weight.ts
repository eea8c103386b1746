import { gzipSync } from "node:zlib";
import { LOCALES } from "../worker/domain/locales.ts";

export const PAGE_WEIGHT_TARGET = 14_600;

export interface PageWeight {
  locale: string;
  html: number;
  assets: number;
  total: number;
  files: string[];
}

async function gzipBytes(url: string): Promise<{ bytes: number; body: string }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const body = await res.text();
  return { bytes: gzipSync(body).length, body };
}

/**
 * Page weight: gzip bytes of the form page with its stylesheets and the
 * scripts it loads before any file is chosen (scripts loaded on demand are
 * not referenced by the page, so they are not counted).
 */
export async function measurePageWeight(baseUrl: string): Promise<PageWeight[]> {
  const results: PageWeight[] = [];
  for (const locale of LOCALES) {
    const html = await gzipBytes(`${baseUrl}/${locale}/`);
    const refs = [
      ...html.body.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g),
      ...html.body.matchAll(/<script[^>]+src="([^"]+)"/g),
    ].map((m) => m[1] as string);
    let assets = 0;
    for (const ref of refs) assets += (await gzipBytes(new URL(ref, baseUrl).toString())).bytes;
    results.push({ locale, html: html.bytes, assets, total: html.bytes + assets, files: refs });
  }
  return results;
}
