import { StaffLayout } from "../components/Layout.tsx";

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  $ref?: string;
  anyOf?: Schema[];
}

interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; description?: string }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description: string }>;
}

export interface OpenApiDoc {
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.enum) return schema.enum.map(String).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" or ");
  if (schema.items) return `${typeOf(schema.items)}[]`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "object");
}

/** The body's fields, one level down per section (the whole recommendation would be a page of its own). */
function Fields({ schema, depth = 0 }: { schema: Schema; depth?: number }) {
  if (!schema.properties) return <code>{typeOf(schema)}</code>;
  return (
    <ul>
      {Object.entries(schema.properties).map(([name, child]) => (
        <li>
          <code>{name}</code>
          {schema.required?.includes(name) ? " (required)" : ""}:{" "}
          {child.properties && depth < 1 ? <Fields schema={child} depth={depth + 1} /> : <code>{typeOf(child)}</code>}
        </li>
      ))}
    </ul>
  );
}

/** The API reference, rendered on the server from /api/openapi.json: no script, no CDN, works offline. */
export function ApiDocsPage({ doc }: { doc: OpenApiDoc }) {
  const base = doc.servers?.[0]?.url ?? "";
  return (
    <StaffLayout title={doc.info.title}>
      <h1>
        {doc.info.title} <small>{doc.info.version}</small>
      </h1>
      <p>
        The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Send a token
        from <code>npm run token -- create</code> as <code>Authorization: Bearer …</code>. Errors are{" "}
        <code>{"{ error: { code, message } }"}</code>.
      </p>
      {Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <section class="panel" id={`${method}-${path}`.replace(/[^\w-]/g, "-")}>
            <h2>
              <code>
                {method.toUpperCase()} {base}
                {path}
              </code>
            </h2>
            <p>{op.summary}</p>
            {op.description ? <p class="muted">{op.description}</p> : null}
            {op.security?.length ? <p>Needs a token (or a staff session where noted).</p> : <p>Public.</p>}
            {op.parameters?.length ? (
              <>
                <h3>Parameters</h3>
                <ul>
                  {op.parameters.map((p) => (
                    <li>
                      <code>{p.name}</code> ({p.in}
                      {p.required ? ", required" : ""}): <code>{typeOf(p.schema)}</code>
                      {(p.description ?? p.schema?.description) ? ` — ${p.description ?? p.schema?.description}` : ""}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {op.requestBody
              ? Object.entries(op.requestBody.content).map(([type, content]) => (
                  <>
                    <h3>Body ({type})</h3>
                    {content.schema ? <Fields schema={content.schema} /> : null}
                  </>
                ))
              : null}
            <h3>Responses</h3>
            <ul>
              {Object.entries(op.responses).map(([status, response]) => (
                <li>
                  <code>{status}</code> {response.description}
                </li>
              ))}
            </ul>
          </section>
        )),
      )}
    </StaffLayout>
  );
}
