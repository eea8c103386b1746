import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundaryOf, FormTooLarge, TEXT_LIMITS, textFieldsOf } from "../../worker/domain/form-fields.ts";

/** A form as a browser posts it: the real serializer's body and content type. */
async function serialize(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const res = new Response(form);
  const boundary = boundaryOf(res.headers.get("Content-Type"));
  if (!boundary) throw new Error("no boundary");
  return { bytes: new Uint8Array(await res.arrayBuffer()), boundary };
}

/** The body cut into chunks of the given sizes (then the rest), as a network delivers it. */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = sizes[i++ % Math.max(sizes.length, 1)] ?? bytes.length;
      controller.enqueue(bytes.slice(at, at + Math.max(1, size)));
      at += Math.max(1, size);
    },
  });
}

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  // What could be mistaken for a boundary or a header's end.
  fc.constantFrom("\r\n--", "--\r\n", "\r\n\r\n", "a\r\n--x", ""),
);
const part = fc.oneof(
  fc.record({
    kind: fc.constant("text" as const),
    name: fc.constantFrom("target.name", "conduct.summary", "a[]"),
    value: text,
  }),
  fc.record({
    kind: fc.constant("file" as const),
    name: fc.constantFrom("attachments"),
    filename: fc.constantFrom("big.pdf", "photo one.jpg", "отчёт.docx"),
    size: fc.integer({ min: 1, max: 50_000 }),
  }),
);

describe("the text fields of a form too large to take in whole", () => {
  it("are every text field in order, whatever the files and however the body is cut; files are named and counted", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { maxLength: 6 }),
        async (parts, cuts) => {
          const form = new FormData();
          for (const p of parts) {
            if (p.kind === "text") form.append(p.name, p.value);
            else form.append(p.name, new File([new Uint8Array(p.size).fill(13)], p.filename));
          }
          const { bytes, boundary } = await serialize(form);
          const read = await textFieldsOf(chunked(bytes, cuts), boundary);
          // The serializer normalises line breaks in text to CRLF, as a browser does.
          const expected = parts.flatMap((p) =>
            p.kind === "text" ? [[p.name, p.value.replace(/\r?\n|\r/g, "\r\n")]] : [],
          );
          expect(read.fields).toEqual(expected);
          expect(read.files).toEqual(
            parts.flatMap((p) => (p.kind === "file" ? [{ field: p.name, name: p.filename, size: p.size }] : [])),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("passes over a file far larger than anything kept, with the fields after it", async () => {
    const form = new FormData();
    form.append("target.name", "Before");
    form.append("attachments", new File([new Uint8Array(40 * 1024 * 1024)], "huge.mp4"));
    form.append("safety.risk_level", "high");
    const { bytes, boundary } = await serialize(form);
    const read = await textFieldsOf(chunked(bytes, [65_536]), boundary);
    expect(read.fields).toEqual([
      ["target.name", "Before"],
      ["safety.risk_level", "high"],
    ]);
    expect(read.files).toEqual([{ field: "attachments", name: "huge.mp4", size: 40 * 1024 * 1024 }]);
  });

  it("refuses a text field beyond what a person types, and a body cut short", async () => {
    const form = new FormData();
    form.append("conduct.summary", "x".repeat(TEXT_LIMITS.fieldBytes + 1));
    const big = await serialize(form);
    await expect(textFieldsOf(chunked(big.bytes, [4096]), big.boundary)).rejects.toBeInstanceOf(FormTooLarge);
    const small = new FormData();
    small.append("a", "b");
    const cut = await serialize(small);
    await expect(textFieldsOf(chunked(cut.bytes.slice(0, cut.bytes.length - 10), []), cut.boundary)).rejects.toThrow(
      "closing boundary",
    );
  });

  it("reads the boundary of a multipart content type only", () => {
    expect(boundaryOf("multipart/form-data; boundary=----abc")).toBe("----abc");
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(boundaryOf("application/x-www-form-urlencoded")).toBeNull();
  });
});
