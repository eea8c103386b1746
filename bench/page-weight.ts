import { gzipSync } from "node:zlib";
import { SECTIONS } from "../worker/domain/case-form.ts";
import { LOCALES } from "../worker/domain/locales.ts";

export const PAGE_WEIGHT_TARGET = 14_600;

export interface PageWeight {
  locale: string;
  /** The heaviest page of the locale (what the figures are), of `pages` measured. */
  page: string;
  pages: number;
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

/** Every page of the intake: the one-page form, and the case file's task list, pages and check page. */
export const FORM_PAGES = ["/", "/form", "/form/target/1", ...SECTIONS.map((s) => `/form/${s}`), "/form/review"];

/** Pages share their stylesheets and scripts: each is fetched once a run. */
async function weigh(baseUrl: string, path: string, assetBytes: Map<string, Promise<number>>) {
  const html = await gzipBytes(`${baseUrl}${path}`);
  const files = [
    ...html.body.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g),
    ...html.body.matchAll(/<script[^>]+src="([^"]+)"/g),
  ].map((m) => m[1] as string);
  let assets = 0;
  for (const ref of files) {
    const url = new URL(ref, baseUrl).toString();
    if (!assetBytes.has(url))
      assetBytes.set(
        url,
        gzipBytes(url).then((r) => r.bytes),
      );
    assets += (await assetBytes.get(url)) as number;
  }
  return { html: html.bytes, assets, total: html.bytes + assets, files };
}

/**
 * Page weight: gzip bytes of each form page with its stylesheets and the
 * scripts it loads before any file is chosen (scripts loaded on demand are
 * not referenced by the page, so they are not counted); per locale, the
 * heaviest page.
 */
export async function measurePageWeight(baseUrl: string): Promise<PageWeight[]> {
  const results: PageWeight[] = [];
  const assetBytes = new Map<string, Promise<number>>();
  for (const locale of LOCALES) {
    let heaviest: PageWeight | undefined;
    for (const path of FORM_PAGES) {
      const weight = await weigh(baseUrl, `/${locale}${path}`, assetBytes);
      if (!heaviest || weight.total > heaviest.total) {
        heaviest = { locale, page: path, pages: FORM_PAGES.length, ...weight };
      }
    }
    if (heaviest) results.push(heaviest);
  }
  return results;
}
