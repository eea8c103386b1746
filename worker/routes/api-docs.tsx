import { Hono } from "hono";
import { ApiDocsPage, type OpenApiDoc } from "../../web/pages/ApiDocsPage.tsx";
import { page } from "../../web/render.ts";
import type { AppEnv } from "../env.ts";
import { openApiDocument } from "./api.ts";

/** `/api/docs`: the API reference as a plain page. */
export const apiDocs = new Hono<AppEnv>();

apiDocs.get("/", (c) => page(c, <ApiDocsPage doc={openApiDocument() as unknown as OpenApiDoc} />));
