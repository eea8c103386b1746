import { describe, expect, it } from "vitest";
import {
  type ContainerProblem,
  inspectOfficeZip,
  MAX_ENTRIES,
  MAX_RATIO,
  MAX_UNCOMPRESSED,
  type OfficeKind,
  officeKind,
  ZIP_TAIL_BYTES,
} from "../../worker/files/zip.ts";

// A tiny ZIP writer: stored entries with honest local headers, central directory and end
// records, plus knobs to lie (flags, declared sizes, methods) and to write ZIP64 records.

const MAX32 = 0xffffffff;
const MiB = 1024 * 1024;
const encoder = new TextEncoder();
type Data = string | Uint8Array;
const asBytes = (data: Data) => (typeof data === "string" ? encoder.encode(data) : data);

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  bytes(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }
  private number(size: number, set: (view: DataView) => void): this {
    const bytes = new Uint8Array(size);
    set(new DataView(bytes.buffer));
    return this.bytes(bytes);
  }
  u16(value: number): this {
    return this.number(2, (v) => v.setUint16(0, value, true));
  }
  u32(value: number): this {
    return this.number(4, (v) => v.setUint32(0, value, true));
  }
  u64(value: number): this {
    return this.number(8, (v) => v.setBigUint64(0, BigInt(value), true));
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

interface Entry {
  name: Data;
  data?: Data;
  flags?: number;
  method?: number;
  /** Declared sizes (default: the data's length). */
  compressed?: number;
  uncompressed?: number;
  /** The name in the local header, when it should differ from the central one. */
  localName?: Data;
  /** Sizes and offset as 0xFFFFFFFF with a ZIP64 extra field. */
  zip64?: boolean;
  /** The central extra field, replacing the one zip64 would write. */
  extra?: Uint8Array;
}

interface Options {
  comment?: Data;
  /** ZIP64 end record and locator, with "see ZIP64" values in the classic record. */
  zip64?: boolean;
  /** Bytes before the first entry (offsets account for them). */
  prefix?: Uint8Array;
}

function zip(entries: Entry[], options: Options = {}): Uint8Array {
  const out = new Writer();
  if (options.prefix) out.bytes(options.prefix);
  const central = new Writer();
  for (const entry of entries) {
    const name = asBytes(entry.name);
    const data = asBytes(entry.data ?? "");
    const compressed = entry.compressed ?? data.length;
    const uncompressed = entry.uncompressed ?? data.length;
    const wide = entry.zip64 ?? false;
    const version = wide ? 45 : 20;
    const offset = out.length;
    const localName = entry.localName === undefined ? name : asBytes(entry.localName);
    const localExtra = wide ? new Writer().u16(1).u16(16).u64(uncompressed).u64(compressed).done() : new Uint8Array();
    out
      .u32(0x04034b50)
      .u16(version)
      .u16(entry.flags ?? 0)
      .u16(entry.method ?? 0)
      .u16(0)
      .u16(0x21)
      .u32(0);
    out.u32(wide ? MAX32 : compressed).u32(wide ? MAX32 : uncompressed);
    out.u16(localName.length).u16(localExtra.length).bytes(localName).bytes(localExtra).bytes(data);
    const extra =
      entry.extra ??
      (wide ? new Writer().u16(1).u16(24).u64(uncompressed).u64(compressed).u64(offset).done() : new Uint8Array());
    central
      .u32(0x02014b50)
      .u16(version)
      .u16(version)
      .u16(entry.flags ?? 0)
      .u16(entry.method ?? 0);
    central
      .u16(0)
      .u16(0x21)
      .u32(0)
      .u32(wide ? MAX32 : compressed)
      .u32(wide ? MAX32 : uncompressed);
    central
      .u16(name.length)
      .u16(extra.length)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32(0)
      .u32(wide ? MAX32 : offset);
    central.bytes(name).bytes(extra);
  }
  const cdOffset = out.length;
  const cd = central.done();
  out.bytes(cd);
  const count = entries.length;
  if (options.zip64) {
    const record = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0);
    out.u64(count).u64(count).u64(cd.length).u64(cdOffset);
    out.u32(0x07064b50).u32(0).u64(record).u32(1);
    out.u32(0x06054b50).u16(0xffff).u16(0xffff).u16(0xffff).u16(0xffff).u32(MAX32).u32(MAX32);
  } else {
    out.u32(0x06054b50).u16(0).u16(0).u16(count).u16(count).u32(cd.length).u32(cdOffset);
  }
  const comment = asBytes(options.comment ?? "");
  return out.u16(comment.length).bytes(comment).done();
}

/** A copy with a little-endian number written at `at`. */
function patch(bytes: Uint8Array, at: number, size: 2 | 4, value: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (size === 2) view.setUint16(at, value, true);
  else view.setUint32(at, value, true);
  return copy;
}

/** Where the nth record with this signature starts. */
function find(bytes: Uint8Array, signature: number, nth = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0, seen = 0; at + 4 <= bytes.length; at++) {
    if (view.getUint32(at, true) === signature && seen++ === nth) return at;
  }
  throw new Error("signature not found");
}

const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;

const DOCX: Entry[] = [
  { name: "[Content_Types].xml", data: "<Types/>" },
  { name: "_rels/.rels", data: "<Relationships/>" },
  { name: "word/document.xml", data: "<w:document/>" },
];
const XLSX: Entry[] = [
  { name: "[Content_Types].xml", data: "<Types/>" },
  { name: "xl/workbook.xml", data: "<workbook/>" },
  { name: "xl/worksheets/sheet1.xml", data: "<worksheet/>" },
];
const ODT: Entry[] = [
  { name: "mimetype", data: "application/vnd.oasis.opendocument.text" },
  { name: "META-INF/manifest.xml", data: "<manifest:manifest/>" },
  { name: "content.xml", data: "<office:document-content/>" },
  { name: "styles.xml", data: "<office:document-styles/>" },
];

/** Inspect a whole file. */
function inspect(bytes: Uint8Array, kind: OfficeKind = "docx"): ContainerProblem | null {
  return inspectOfficeZip(bytes, bytes.length, kind);
}
/** Inspect a DOCX with extra entries. */
const docxWith = (...extra: Entry[]) => inspect(zip([...DOCX, ...extra]));

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const PROBLEMS = new Set<ContainerProblem | null>([
  null,
  "malformed",
  "not_office",
  "macros",
  "executable",
  "encrypted",
  "unsafe_path",
  "too_many_entries",
  "too_large",
]);

describe("the limits", () => {
  it("are the documented values", () => {
    expect(MAX_ENTRIES).toBe(5000);
    expect(MAX_UNCOMPRESSED).toBe(1024 ** 3);
    expect(MAX_RATIO).toBe(200);
    expect(ZIP_TAIL_BYTES).toBe(4 * MiB);
  });
});

describe("officeKind", () => {
  it.each([
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"],
    ["application/vnd.oasis.opendocument.text", "odt"],
  ])("maps %s to %s", (type, kind) => {
    expect(officeKind(type)).toBe(kind);
  });

  it.each([
    "application/zip",
    "application/pdf",
    "application/java-archive",
    "application/vnd.oasis.opendocument.spreadsheet",
    "",
    "constructor",
    "toString",
  ])("returns null for %j", (type) => {
    expect(officeKind(type)).toBeNull();
  });
});

describe("valid Office documents", () => {
  it("passes a minimal DOCX, XLSX and ODT", () => {
    expect(inspect(zip(DOCX), "docx")).toBeNull();
    expect(inspect(zip(XLSX), "xlsx")).toBeNull();
    expect(inspect(zip(ODT), "odt")).toBeNull();
  });

  it("passes a document with a comment after the end record", () => {
    expect(inspect(zip(DOCX, { comment: "made by a word processor" }))).toBeNull();
    expect(inspect(zip(DOCX, { comment: new Uint8Array(0xffff).fill(0x20) }))).toBeNull();
  });

  it("passes deflated entries, images, embedded Office files and folders", () => {
    expect(
      docxWith(
        { name: "word/styles.xml", data: "x".repeat(100), method: 8, uncompressed: 900 },
        { name: "word/media/image1.png", data: new Uint8Array(64) },
        { name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", data: new Uint8Array(32) },
        { name: "customXml/" },
      ),
    ).toBeNull();
  });

  it("passes small XML that compresses extremely well (below the ratio floor)", () => {
    expect(docxWith({ name: "word/numbering.xml", data: "x".repeat(1000), method: 8, uncompressed: MiB })).toBeNull();
  });

  it("passes names that are not UTF-8 when the UTF-8 flag is unset, and UTF-8 names when it is set", () => {
    expect(
      docxWith({ name: new Uint8Array([...encoder.encode("word/media/caf"), 0xe9, 0x2e, 0x70, 0x6e, 0x67]) }),
    ).toBeNull();
    expect(docxWith({ name: new Uint8Array([...encoder.encode("word/media/caf"), 0xe9]) })).toBeNull();
    expect(docxWith({ name: "word/media/café.png", flags: 0x0800 })).toBeNull();
  });

  it("passes the directory only (no local headers) when it is the tail of a bigger file", () => {
    const file = zip([{ name: "word/media/video.mp4", data: new Uint8Array(5 * MiB) }, ...DOCX]);
    expect(file.length).toBeGreaterThan(ZIP_TAIL_BYTES);
    const tail = file.subarray(file.length - ZIP_TAIL_BYTES);
    expect(inspectOfficeZip(tail, file.length, "docx")).toBeNull();
    const small = file.subarray(file.length - 1000);
    expect(inspectOfficeZip(small, file.length, "docx")).toBeNull();
  });

  it("passes a ZIP64-shaped DOCX (ZIP64 end record, locator and extra fields)", () => {
    expect(inspect(zip(DOCX, { zip64: true }))).toBeNull();
    expect(
      inspect(
        zip(
          DOCX.map((entry) => ({ ...entry, zip64: true })),
          { zip64: true },
        ),
      ),
    ).toBeNull();
    expect(inspect(zip(DOCX.map((entry) => ({ ...entry, zip64: true }))))).toBeNull();
  });

  it("passes exactly MAX_ENTRIES entries", () => {
    const media = Array.from({ length: MAX_ENTRIES - DOCX.length }, (_, i) => ({ name: `word/media/i${i}.png` }));
    expect(docxWith(...media)).toBeNull();
  });
});

describe("not an Office document", () => {
  it("refuses a JAR that carries a word/ entry to pass the sniffer", () => {
    const jar = zip([
      { name: "word/x", data: "x" },
      { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\nMain-Class: Evil\n" },
      { name: "Evil.class", data: new Uint8Array([0xca, 0xfe, 0xba, 0xbe]) },
      { name: "evil/Payload.class", data: new Uint8Array([0xca, 0xfe, 0xba, 0xbe]) },
    ]);
    expect(inspect(jar, "docx")).toBe("not_office");
  });

  it("refuses each kind without its required parts", () => {
    expect(inspect(zip(DOCX), "xlsx")).toBe("not_office");
    expect(inspect(zip(XLSX), "docx")).toBe("not_office");
    expect(inspect(zip(DOCX), "odt")).toBe("not_office");
    expect(inspect(zip(DOCX.filter((e) => e.name !== "[Content_Types].xml")), "docx")).toBe("not_office");
    expect(inspect(zip(ODT.filter((e) => e.name !== "META-INF/manifest.xml")), "odt")).toBe("not_office");
    expect(inspect(zip(ODT.filter((e) => e.name !== "mimetype")), "odt")).toBe("not_office");
    expect(inspect(zip([]), "docx")).toBe("not_office");
  });

  it("does not accept a required part under another case or with a leading BOM", () => {
    const renamed = DOCX.map((e) => (e.name === "word/document.xml" ? { ...e, name: "Word/Document.xml" } : e));
    expect(inspect(zip(renamed))).toBe("not_office");
    const bom = DOCX.map((e) =>
      e.name === "word/document.xml" ? { ...e, name: "\ufeffword/document.xml", flags: 0x0800 } : e,
    );
    expect(inspect(zip(bom))).toBe("not_office");
  });
});

describe("macros", () => {
  it.each([
    "word/vbaProject.bin",
    "xl/VBAPROJECT.BIN",
    "word/vbaProjectSignature.bin",
    "word/vbaData.xml",
    "vbaProject.bin",
    "word/embeddings/Macro_Sheet.xlsm",
    "Basic/Standard/Module1.xml",
    "Scripts/python/run.py",
    "basic/script-lc.xml",
  ])("refuses %s", (name) => {
    expect(docxWith({ name, data: "x" })).toBe("macros");
  });

  it("refuses ODF Basic in an ODT", () => {
    expect(inspect(zip([...ODT, { name: "Basic/Standard/Module1.xml", data: "<script/>" }]), "odt")).toBe("macros");
  });

  it("does not mistake a nested Basic/ folder or a similar name for macros", () => {
    expect(docxWith({ name: "word/Basic/notes.xml" }, { name: "word/media/vbaProject.bin.png" })).toBeNull();
  });
});

describe("executables", () => {
  it.each([
    "word/embeddings/oleObject1.bin",
    "word/embeddings/oleObject.BIN",
    "xl/embeddings/Package.bin",
    "evil.exe",
    "word/media/EVIL.EXE",
    "word/media/run.js",
    "word/media/run.ps1",
    "word/media/invoice.pdf.scr",
    "word/media/tool.jar",
    "word/media/app.dylib",
    "word/media/shortcut.lnk",
    "word/media/trailing.exe.",
    "word/media/trailing.exe. .",
  ])("refuses %s", (name) => {
    expect(docxWith({ name, data: "MZ" })).toBe("executable");
  });

  it("lets through names that merely contain an extension", () => {
    expect(
      docxWith({ name: "word/media/exe.png" }, { name: "word/media/js" }, { name: "word/media/x.json" }),
    ).toBeNull();
  });
});

describe("unsafe paths", () => {
  it.each([
    "../x",
    "word/../../x",
    "word/..",
    "/etc/passwd",
    "C:/Windows/x.xml",
    "word\\document2.xml",
    "word/a\u0000b.xml",
    "word/a\nb.xml",
    "word/\u001fx",
  ])("refuses %j", (name) => {
    expect(docxWith({ name })).toBe("unsafe_path");
  });

  it("refuses a name flagged UTF-8 that is not (an overlong '/' hides a traversal)", () => {
    const overlong = new Uint8Array([0x2e, 0x2e, 0xc0, 0xaf, 0x78]);
    expect(docxWith({ name: overlong, flags: 0x0800 })).toBe("unsafe_path");
  });

  it("allows dots that are not a whole segment", () => {
    expect(docxWith({ name: "word/..x/a..b.xml" }, { name: "word/./y.xml" })).toBeNull();
  });
});

describe("encryption", () => {
  it("refuses an entry with the encryption flag", () => {
    expect(docxWith({ name: "word/secret.xml", flags: 0x0001 })).toBe("encrypted");
  });

  it("refuses strong encryption, a masked directory and AES (method 99)", () => {
    expect(docxWith({ name: "word/secret.xml", flags: 0x0041 })).toBe("encrypted");
    expect(docxWith({ name: "word/secret.xml", flags: 0x2000 })).toBe("encrypted");
    expect(docxWith({ name: "word/secret.xml", method: 99 })).toBe("encrypted");
  });

  it("refuses when the required part itself is encrypted", () => {
    expect(inspect(zip(DOCX.map((e) => ({ ...e, flags: 0x0001 }))))).toBe("encrypted");
  });
});

describe("too many entries", () => {
  const many = Array.from({ length: MAX_ENTRIES + 1 - DOCX.length }, (_, i) => ({ name: `word/media/i${i}.png` }));

  it("refuses MAX_ENTRIES + 1 entries", () => {
    expect(docxWith(...many)).toBe("too_many_entries");
  });

  it("says too_many_entries when such a directory starts before the tail", () => {
    const file = zip([...DOCX, ...many]);
    expect(inspectOfficeZip(file.subarray(file.length - 1000), file.length, "docx")).toBe("too_many_entries");
  });
});

describe("too large (zip bombs, which would harm the reviewer's computer)", () => {
  it("refuses an entry that declares 2 GiB", () => {
    // Enough real bytes that the ratio is ordinary: only the total is too much.
    const data = new Uint8Array(11 * MiB);
    const file = zip([...DOCX, { name: "word/media/big.bin.png", data, method: 8, uncompressed: 2 * 1024 ** 3 }]);
    const tail = file.subarray(file.length - ZIP_TAIL_BYTES);
    expect(inspectOfficeZip(tail, file.length, "docx")).toBe("too_large");
  });

  it("refuses a total above MAX_UNCOMPRESSED spread over many entries", () => {
    const parts = Array.from({ length: 5 }, (_, i) => ({
      name: `word/media/part${i}.png`,
      data: new Uint8Array(2 * MiB),
      method: 8,
      uncompressed: 250 * MiB,
    }));
    const file = zip([...DOCX, ...parts]);
    expect(inspectOfficeZip(file.subarray(file.length - 4096), file.length, "docx")).toBe("too_large");
  });

  it("refuses a ratio bomb", () => {
    expect(docxWith({ name: "word/styles.xml", data: new Uint8Array(10_000), method: 8, uncompressed: 5 * MiB })).toBe(
      "too_large",
    );
  });

  it("refuses an entry that claims to expand from nothing", () => {
    expect(docxWith({ name: "word/styles.xml", method: 8, uncompressed: 2 * MiB })).toBe("too_large");
  });

  it("passes a large entry with an ordinary ratio", () => {
    const data = new Uint8Array(MiB);
    expect(docxWith({ name: "word/media/a.png", data, method: 8, uncompressed: MAX_RATIO * MiB })).toBeNull();
  });

  it("reads ZIP64 sizes from the extra field", () => {
    const bomb = { name: "word/media/a.png", data: new Uint8Array(MiB), method: 8, uncompressed: 5 * 1024 ** 3 };
    expect(inspect(zip([...DOCX, { ...bomb, zip64: true }], { zip64: true }))).toBe("too_large");
  });
});

describe("the order problems are reported in", () => {
  it.each<[string, Entry[], ContainerProblem]>([
    ["unsafe before encrypted", [{ name: "../a", flags: 1 }], "unsafe_path"],
    ["encrypted before too large", [{ name: "word/a.xml", flags: 1, method: 8, uncompressed: 5 * MiB }], "encrypted"],
    ["too large before macros", [{ name: "word/vbaProject.bin", method: 8, uncompressed: 5 * MiB }], "too_large"],
    ["macros before executable", [{ name: "word/vbaProject.bin" }, { name: "a.exe" }], "macros"],
    ["executable before not office", [{ name: "a.exe" }], "executable"],
    ["malformed before everything", [{ name: "../a", method: 14 }], "malformed"],
  ])("%s", (_, entries, problem) => {
    expect(inspect(zip(entries))).toBe(problem);
  });

  it("reports too many entries before anything else but malformed", () => {
    const many = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => ({ name: `../${i}.exe`, flags: 1 }));
    expect(inspect(zip(many))).toBe("too_many_entries");
  });
});

describe("malformed files", () => {
  const valid = zip(DOCX);
  const eocd = valid.length - 22;

  it.each([
    ["empty", new Uint8Array()],
    ["too short", new Uint8Array([0x50, 0x4b, 0x05, 0x06])],
    ["a PDF", asBytes("%PDF-1.4\n%%EOF\n")],
    ["only local headers", valid.subarray(0, find(valid, CENTRAL))],
    ["an end record alone, pointing nowhere", patch(patch(new Uint8Array(22), 0, 4, EOCD), 16, 4, 100)],
  ])("refuses %s", (_, bytes) => {
    expect(inspect(bytes)).toBe("malformed");
  });

  it("refuses every truncation of a valid file", () => {
    for (let length = 0; length < valid.length; length++) {
      expect(inspect(valid.subarray(0, length))).toBe("malformed");
    }
  });

  it("judges every tail of a valid file by whether it holds the directory", () => {
    const cdOffset = find(valid, CENTRAL);
    for (let start = 0; start <= valid.length; start++) {
      const expected = start <= cdOffset ? null : "malformed";
      expect(inspectOfficeZip(valid.subarray(start), valid.length, "docx")).toBe(expected);
    }
  });

  it("refuses a directory that starts before the tail when the count is small", () => {
    expect(inspectOfficeZip(valid.subarray(valid.length - 30), valid.length, "docx")).toBe("malformed");
  });

  it("refuses a size that does not fit the tail", () => {
    expect(inspectOfficeZip(valid, valid.length - 1, "docx")).toBe("malformed");
    expect(inspectOfficeZip(valid, Number.NaN, "docx")).toBe("malformed");
    expect(inspectOfficeZip(valid, 2 ** 60, "docx")).toBe("malformed");
    expect(inspectOfficeZip(valid, valid.length + 10, "docx")).toBe("malformed");
  });

  it.each([
    ["an entry count above the real one", 10, 2, DOCX.length + 1],
    ["an entry count below the real one", 10, 2, DOCX.length - 1],
    ["a count on this disk that differs", 8, 2, DOCX.length - 1],
    ["a directory size too big", 12, 4, 10_000],
    ["a directory size too small", 12, 4, 46],
    ["a directory offset past the end", 16, 4, 0x7fffffff],
    ["a directory offset one too far", 16, 4, find(valid, CENTRAL) + 1],
    ["another disk", 4, 2, 1],
    ["the directory on another disk", 6, 2, 1],
    ["a comment longer than what follows", 20, 2, 5],
    ["'see ZIP64' without a ZIP64 record", 10, 2, 0xffff],
  ])("refuses %s in the end record", (_, at, size, value) => {
    expect(inspect(patch(valid, eocd + at, size as 2 | 4, value))).toBe("malformed");
  });

  it("refuses a comment that hides a second end record", () => {
    const fake = patch(new Uint8Array(22), 0, 4, EOCD);
    expect(inspect(zip(DOCX, { comment: fake }))).toBe("malformed");
  });

  it("refuses junk after the end record", () => {
    expect(inspect(new Uint8Array([...valid, 0]))).toBe("malformed");
  });

  it("refuses a central entry with a broken signature or lengths", () => {
    const second = find(valid, CENTRAL, 1);
    expect(inspect(patch(valid, second, 4, 0x12345678))).toBe("malformed");
    expect(inspect(patch(valid, second + 28, 2, 0xffff))).toBe("malformed"); // name length
    expect(inspect(patch(valid, second + 30, 2, 4))).toBe("malformed"); // extra length
    expect(inspect(patch(valid, second + 32, 2, 1))).toBe("malformed"); // comment length
  });

  it("refuses compression methods Office never writes", () => {
    expect(docxWith({ name: "word/a.xml", method: 14 })).toBe("malformed");
    expect(docxWith({ name: "word/a.xml", method: 12 })).toBe("malformed");
  });

  it("refuses declared sizes that run past the directory", () => {
    expect(docxWith({ name: "word/a.xml", data: "abc", compressed: 10_000 })).toBe("malformed");
  });

  it("refuses a local header that names another entry, or is not one", () => {
    expect(docxWith({ name: "word/media/a.png", localName: "word/vbaProject.bin" })).toBe("malformed");
    const second = find(valid, CENTRAL, 1);
    expect(inspect(patch(valid, second + 42, 4, 1))).toBe("malformed");
  });

  it("refuses overlapping entries, even when their local headers are out of view", () => {
    const file = zip([...DOCX, { name: "word/media/a.png", data: new Uint8Array(100) }]);
    const directory = find(file, CENTRAL);
    const tail = (bytes: Uint8Array) => inspectOfficeZip(bytes.subarray(directory), bytes.length, "docx");
    expect(tail(file)).toBeNull();
    // The last entry's local header moved back into the previous entry's data.
    const last = find(file, CENTRAL, 3);
    const offset = new DataView(file.buffer).getUint32(last + 42, true);
    expect(tail(patch(file, last + 42, 4, offset - 10))).toBe("malformed");
  });

  it("refuses bytes before the first entry (an executable with a ZIP appended)", () => {
    const stub = asBytes("MZ\x90\x00 this program cannot be run in DOS mode");
    expect(inspect(zip(DOCX, { prefix: stub }))).toBe("malformed");
    expect(inspect(new Uint8Array([...stub, ...valid]))).toBe("malformed");
  });

  it("refuses ZIP64 records that are missing, out of place or disagree", () => {
    const wide = zip(DOCX, { zip64: true });
    const locator = find(wide, 0x07064b50);
    const record = find(wide, 0x06064b50);
    expect(inspect(patch(wide, locator + 8, 4, record + 1))).toBe("malformed");
    expect(inspect(patch(wide, locator + 16, 4, 2))).toBe("malformed"); // disks
    expect(inspect(patch(wide, record + 32, 4, 2))).toBe("malformed"); // count
    expect(inspect(patch(wide, record, 4, 0))).toBe("malformed");
    const classic = wide.length - 22;
    expect(inspect(patch(wide, classic + 10, 2, 2))).toBe("malformed"); // disagrees with ZIP64
    expect(inspect(patch(wide, classic + 10, 2, DOCX.length))).toBe(null); // agrees
  });

  it("refuses a ZIP64 entry without its extra field, or with one too short", () => {
    const entry = { name: "word/a.xml", zip64: true };
    expect(docxWith({ ...entry, extra: new Uint8Array() })).toBe("malformed");
    expect(docxWith({ ...entry, extra: new Writer().u16(0x5455).u16(1).bytes(new Uint8Array(1)).done() })).toBe(
      "malformed",
    );
    expect(docxWith({ ...entry, extra: new Writer().u16(1).u16(16).u64(0).u64(0).done() })).toBe("malformed");
    expect(docxWith({ ...entry, extra: new Writer().u16(1).u16(40).u64(0).u64(0).u64(0).done() })).toBe("malformed");
  });
});

describe("hostile input never throws", () => {
  const kinds: OfficeKind[] = ["docx", "xlsx", "odt"];

  it("answers malformed for random bytes", () => {
    const next = random(1);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 600) }, () => Math.floor(next() * 256));
      expect(inspect(bytes, kinds[i % 3])).toBe("malformed");
    }
  });

  it("answers malformed for random bytes ending in a plausible end record", () => {
    const next = random(2);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: 22 + Math.floor(next() * 400) }, () => Math.floor(next() * 256));
      const end = bytes.length - 22;
      const view = new DataView(bytes.buffer);
      view.setUint32(end, EOCD, true);
      view.setUint16(end + 20, 0, true);
      if (i % 2 && end >= 20) view.setUint32(end - 20, 0x07064b50, true);
      const size = i % 3 ? bytes.length : bytes.length + Math.floor(next() * 2 ** 33);
      // A throw would fail the test; every answer must be one of the documented ones.
      expect(PROBLEMS.has(inspectOfficeZip(bytes, size, kinds[i % 3] ?? "docx"))).toBe(true);
    }
  });

  it("answers something for every mutation of a valid file", () => {
    const next = random(3);
    const files = [
      zip(DOCX),
      zip(ODT, { comment: "c" }),
      zip(
        DOCX.map((e) => ({ ...e, zip64: true })),
        { zip64: true },
      ),
    ];
    for (let i = 0; i < 600; i++) {
      const bytes = (files[i % files.length] ?? new Uint8Array()).slice();
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      expect(PROBLEMS.has(inspectOfficeZip(bytes, bytes.length, kinds[i % 3] ?? "docx"))).toBe(true);
    }
  });
});
