/** Small, structurally real files for the evidence tests: built here, so no binary fixtures are needed. */

/** The parts one after another, as one array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** A TIFF (EXIF) block, little-endian: IFD0 with Make, Model and a GPS IFD holding a latitude. */
export function exifBlock(): Uint8Array {
  const b = new Uint8Array(120);
  const v = new DataView(b.buffer);
  b.set(text("II"), 0);
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  v.setUint16(8, 3, true); // three entries
  const entry = (at: number, tag: number, type: number, count: number, value: number) => {
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, count, true);
    v.setUint32(at + 8, value, true);
  };
  entry(10, 0x010f, 2, 4, 0x006e6143); // Make "Can"
  entry(22, 0x0110, 2, 4, 0x0030394d); // Model "M90"
  entry(34, 0x8825, 4, 1, 50); // GPS IFD at 50
  v.setUint32(46, 0, true);
  v.setUint16(50, 1, true);
  entry(52, 0x0002, 5, 3, 70); // GPSLatitude
  b.set(text("GPS-50.4501N"), 70);
  return b;
}

export function segment(marker: number, payload: Uint8Array): Uint8Array {
  const head = new Uint8Array([0xff, marker, 0, 0]);
  new DataView(head.buffer).setUint16(2, payload.length + 2);
  return concat(head, payload);
}

/** A JPEG with JFIF, EXIF (device and GPS), XMP and a comment before the picture. */
export function jpegWithGps(): Uint8Array {
  return concat(
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, text("JFIF\0\x01\x01\0\0\x01\0\x01\0\0")),
    segment(0xe1, concat(text("Exif\0\0"), exifBlock())),
    segment(0xe1, text("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>photographer</x:xmpmeta>")),
    segment(0xfe, text("taken at the checkpoint")),
    segment(0xdb, new Uint8Array(65).fill(1)),
    segment(0xc0, new Uint8Array([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    segment(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])),
    new Uint8Array([0x12, 0x34, 0x56, 0x78, 0xff, 0x00, 0x9a]),
    new Uint8Array([0xff, 0xd9]),
  );
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: length, type, data and CRC. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(text(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG with text chunks (one naming a place) and a timestamp. */
export function pngWithText(): Uint8Array {
  const ihdr = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("tEXt", text("Comment\0Location: Mariupol, 47.09N 37.54E")),
    chunk("iTXt", text("Author\0\0\0\0\0Witness 7")),
    chunk("tIME", new Uint8Array([7, 230, 3, 14, 10, 0, 0])),
    chunk("IDAT", new Uint8Array([0x78, 0x9c, 0x62, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01])),
    chunk("IEND", new Uint8Array(0)),
  );
}

/** A WebP (VP8X) with EXIF and XMP chunks. */
export function webpWithExif(): Uint8Array {
  const riffChunk = (type: string, data: Uint8Array) => {
    const head = new Uint8Array(8);
    head.set(text(type));
    new DataView(head.buffer).setUint32(4, data.length, true);
    return concat(head, data, data.length % 2 ? new Uint8Array(1) : new Uint8Array(0));
  };
  const body = concat(
    text("WEBP"),
    riffChunk("VP8X", new Uint8Array([0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
    riffChunk("VP8L", new Uint8Array([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88])),
    riffChunk("EXIF", exifBlock()),
    riffChunk("XMP ", text("<x:xmpmeta>author</x:xmpmeta>")),
  );
  const head = new Uint8Array(8);
  head.set(text("RIFF"));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return concat(head, body);
}

/** `size` bytes that start like a PDF; the rest pseudo-random (repeatable from `seed`). */
export function pdfBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out.set(text("%PDF-1.7\n"));
  return out;
}

/** A Windows executable, whatever it is called. */
export function executable(): Uint8Array {
  const out = new Uint8Array(4096);
  out.set(text("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"));
  out.set(text("This program cannot be run in DOS mode."), 78);
  return out;
}

export function contains(haystack: Uint8Array, needle: string): boolean {
  const n = text(needle);
  outer: for (let i = 0; i + n.length <= haystack.length; i++) {
    for (let j = 0; j < n.length; j++) if (haystack[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

export async function sha256Of(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A ZIP of stored (uncompressed) entries: local headers, central directory, end record. */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const n = text(name);
    const data = text(content);
    const crc = crc32(data);
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const entry = new Uint8Array(46 + n.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    entry.set(n, 46);
    locals.push(local, data);
    central.push(entry);
    offset += local.length + data.length;
  }
  const directory = concat(...central);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, central.length, true);
  ev.setUint16(10, central.length, true);
  ev.setUint32(12, directory.length, true);
  ev.setUint32(16, offset, true);
  return concat(...locals, directory, end);
}

/** A minimal Word document, with more parts if given (`word/vbaProject.bin` makes it carry macros). */
export function docx(extra: Record<string, string> = {}): Uint8Array {
  return zipOf({
    "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
    "word/document.xml": '<?xml version="1.0"?><w:document>Statement of witness 4</w:document>',
    "docProps/core.xml": "<cp:coreProperties><dc:creator>Witness 4</dc:creator></cp:coreProperties>",
    ...extra,
  });
}
