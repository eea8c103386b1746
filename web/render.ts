import type { Context } from "hono";
import { html } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Sends a server-rendered page with its doctype. */
export function page(c: Context, body: JSX.Element, status: ContentfulStatusCode = 200) {
  return c.html(html`<!doctype html>${body}`, status);
}
