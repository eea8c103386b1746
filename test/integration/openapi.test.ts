import { describe, expect, it } from "vitest";
import app from "../../worker/app.tsx";
import { call } from "../helpers/http.ts";

interface OpenApi {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and describes every /api/v1 route the app serves", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApi;
    expect(doc.openapi).toBe("3.1.0");
    const prefix = doc.servers[0]?.url ?? "";
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${prefix}${path}`),
      ),
    );
    const served = app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
    expect(served.length).toBeGreaterThanOrEqual(12);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it("has a reference page that works offline (no script or style from elsewhere)", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/v1/exports/ftm.ndjson");
    expect(html).toContain("/v1/recommendations/{id}/actions");
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
  });
});
