import { exports } from "cloudflare:workers";

export const ORIGIN = "https://dossier.test";

/**
 * A request to the real Worker (its default export), as a browser on our own
 * origin would send it. Each comes from a client address of its own (as if
 * from many people), unless the test sets `CF-Connecting-IP` to be one client.
 */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(new URL(path, ORIGIN), { redirect: "manual", ...init });
  if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", `test-${crypto.randomUUID()}`);
  return exports.default.fetch(request);
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A form post from our own pages (Origin set, as browsers do). */
export function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
