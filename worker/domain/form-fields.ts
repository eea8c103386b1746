/**
 * The text fields of a `multipart/form-data` body too large to take in
 * whole, read as it streams: each file part is passed over as it goes by
 * (its field, name and size noted, its bytes dropped), so a form posted
 * without JavaScript with files over the limit can come back with every
 * value typed in it. Memory stays bounded by the text kept, whatever the
 * files weigh. (The multipart libraries at hand keep each part in memory
 * and stop at a size limit, losing the fields that come after the file.)
 */

export interface SkippedFile {
  field: string;
  name: string;
  size: number;
}

export interface TextFields {
  fields: [string, string][];
  files: SkippedFile[];
}

/** Bounds on what is kept: a body beyond them is not a form a person typed. */
export const TEXT_LIMITS = { fieldBytes: 256 * 1024, totalBytes: 4 * 1024 * 1024, headerBytes: 8 * 1024, parts: 2000 };

export class FormTooLarge extends Error {}

const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0] as number;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= haystack.length - needle.length; ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = haystack.indexOf(first, i + 1);
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `name` and `filename` of a part's Content-Disposition (browsers escape `"` as `%22`). */
function disposition(headers: string): { name: string; filename: string | null } {
  const line = headers.split("\r\n").find((h) => /^content-disposition:/i.test(h)) ?? "";
  const param = (key: string) => new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(line)?.[1];
  const unquote = (v: string) => v.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
  const filename = param("filename");
  return { name: unquote(param("name") ?? ""), filename: filename === undefined ? null : unquote(filename) };
}

/** The boundary of a `multipart/form-data` content type, or null. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Reads `body` to its end, keeping text fields in order and noting file
 * parts. Throws FormTooLarge past TEXT_LIMITS, and Error on a body that is
 * not well-formed multipart.
 */
export async function textFieldsOf(body: ReadableStream<Uint8Array>, boundary: string): Promise<TextFields> {
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  const decoder = new TextDecoder();
  const result: TextFields = { fields: [], files: [] };
  // The body's first delimiter has no CRLF before it: one is supplied, so every delimiter looks alike.
  let buffer: Uint8Array = CRLF;
  let state: "preamble" | "after" | "headers" | "body" = "preamble";
  let finished = false;
  let part: { name: string; filename: string | null; kept: Uint8Array[]; size: number } | null = null;
  let textBytes = 0;

  const finishPart = () => {
    if (!part) return;
    if (part.filename === null) {
      result.fields.push([part.name, decoder.decode(part.kept.reduce(concat, new Uint8Array(0)))]);
    } else if (part.filename !== "" || part.size > 0) {
      result.files.push({ field: part.name, name: part.filename, size: part.size });
    }
    part = null;
  };
  const take = (bytes: Uint8Array) => {
    if (!part || bytes.length === 0) return;
    part.size += bytes.length;
    if (part.filename !== null) return;
    textBytes += bytes.length;
    if (part.size > TEXT_LIMITS.fieldBytes || textBytes > TEXT_LIMITS.totalBytes) throw new FormTooLarge();
    part.kept.push(bytes.slice());
  };

  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer = concat(buffer, value);
    for (let progress = true; progress && !finished; ) {
      progress = false;
      if (state === "preamble" || state === "body") {
        const at = indexOf(buffer, delimiter);
        if (at === -1) {
          // Keep just enough to find a delimiter cut in two by the next chunk.
          const keep = Math.min(buffer.length, delimiter.length - 1);
          if (state === "body") take(buffer.subarray(0, buffer.length - keep));
          buffer = buffer.slice(buffer.length - keep);
          break;
        }
        if (state === "body") {
          take(buffer.subarray(0, at));
          finishPart();
        }
        buffer = buffer.slice(at + delimiter.length);
        state = "after";
        progress = true;
      } else if (state === "after") {
        if (buffer.length < 2) break;
        if (buffer[0] === 45 && buffer[1] === 45) {
          finished = true;
          break;
        }
        const eol = indexOf(buffer, CRLF);
        if (eol === -1) break;
        buffer = buffer.slice(eol + 2);
        state = "headers";
        progress = true;
      } else if (state === "headers") {
        const end = indexOf(buffer, HEADER_END);
        if (end === -1) {
          if (buffer.length > TEXT_LIMITS.headerBytes) throw new FormTooLarge();
          break;
        }
        if (result.fields.length + result.files.length >= TEXT_LIMITS.parts) throw new FormTooLarge();
        part = { ...disposition(decoder.decode(buffer.subarray(0, end))), kept: [], size: 0 };
        buffer = buffer.slice(end + 4);
        state = "body";
        progress = true;
      }
    }
    if (done || finished) break;
  }
  if (!finished) {
    await reader.cancel().catch(() => undefined);
    throw new Error("the form body ends before its closing boundary");
  }
  // Whatever follows the closing boundary (an epilogue) is not read.
  await reader.cancel().catch(() => undefined);
  return result;
}
