import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { LIMITS } from "../domain/recommendation.ts";
import { fieldProblems, pathName } from "../domain/validation.ts";
import type { AppEnv } from "../env.ts";
import { apiError } from "./http-errors.ts";

/**
 * Turns a failed validation into the API's 422 body (`validation_failed`
 * with a message per field), messages in the request's language. Given the schema, it parses the input once more with
 * `reportInput`, so a blank value reads "required" rather than "invalid"
 * (only on failure, so the happy path parses once).
 */
export function validationHook(schema?: {
  safeParse(
    input: unknown,
    params?: { reportInput?: boolean },
  ): { success: true } | { success: false; error: z.ZodError };
}) {
  return (result: { success: true } | { success: false; error: z.ZodError }, _c: Context<AppEnv>): undefined => {
    if (result.success) return;
    // zod-validator passes the raw input along as `data`, though its type does not say so.
    const input = (result as { data?: unknown }).data;
    const again = schema?.safeParse(input, { reportInput: true });
    const error = again && !again.success ? again.error : result.error;
    // More files than a recommendation may hold is a limit, not a typo: 413 saying the limit.
    if (error.issues.some((i) => i.code === "too_big" && pathName(i.path) === "attachments")) {
      const said = { key: "errors.too_many_files", params: { count: LIMITS.attachments } };
      throw apiError(413, said, { fields: [{ path: "attachments", ...said }] });
    }
    const fields = fieldProblems(error).map((p) => ({ path: p.path, key: `errors.${p.key}`, params: p.params }));
    throw apiError(422, { key: "errors.summary" }, { fields });
  };
}

/** A JSON API sub-app: OpenAPI-described routes with our 422 body. */
export function apiApp() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook() });
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: ErrorBody } } };
}

export const bearer = [{ bearer: [] }];
