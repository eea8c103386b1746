/**
 * What a file is, judged by its first bytes, never by its name.
 * The declared name and type only choose between text and CSV, which look
 * the same.
 */

export interface Sniffed {
  /** The media type we serve it as. */
  type: string;
  /** Whether metadata is stripped into a clean copy for reviewers. */
  image: boolean;
}

/** How many leading bytes sniff() wants (fewer is fine for a smaller file). */
export const SNIFF_BYTES = 64 * 1024;

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

/** ISO base media (MP4 family): the `ftyp` box's major and compatible brands. */
function isoBrands(head: Uint8Array): string[] | null {
  if (head.length < 12 || ascii(head, 4, 4) !== "ftyp") return null;
  const size = Math.min(new DataView(head.buffer, head.byteOffset).getUint32(0), head.length);
  const brands = [ascii(head, 8, 4)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(head, at, 4));
  return brands;
}

/** Office documents are ZIP files: the entry names in the first local headers tell which kind. */
function zipKind(head: Uint8Array): string | null {
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= head.length && startsWith(head, [0x50, 0x4b, 0x03, 0x04], at) && names.length < 64) {
    const view = new DataView(head.buffer, head.byteOffset + at);
    const compressed = view.getUint32(18, true);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const name = ascii(head, at + 30, nameLength);
    names.push(name);
    if (name === "mimetype") {
      const mime = ascii(head, at + 30 + nameLength + extraLength, compressed).trim();
      if (mime === "application/vnd.oasis.opendocument.text") return "application/vnd.oasis.opendocument.text";
      return null;
    }
    // A streamed entry (sizes after the data) cannot be skipped without inflating: stop here.
    if (view.getUint16(6, true) & 0x08) break;
    at += 30 + nameLength + extraLength + compressed;
  }
  if (names.some((n) => n.startsWith("word/"))) {
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  if (names.some((n) => n.startsWith("xl/"))) {
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return null;
}

/** Text: valid UTF-8 (a cut multi-byte character at the end is allowed), no NUL, few control characters. */
function isText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(trimPartialUtf8(head));
  } catch {
    return false;
  }
  let control = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === 0) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control <= text.length / 100;
}

function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let back = 0;
  while (end - back - 1 >= 0 && back < 3 && ((bytes[end - back - 1] as number) & 0xc0) === 0x80) back++;
  const lead = bytes[end - back - 1];
  if (lead !== undefined && lead >= 0xc0) {
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (back < need) end = end - back - 1;
  }
  return bytes.subarray(0, end);
}

/**
 * The media type of a file from its first bytes, or null when it is not one
 * of the allowed kinds (an executable, an archive, a disguised anything).
 */
export function sniff(head: Uint8Array, declared: { name?: string; type?: string } = {}): Sniffed | null {
  const image = (type: string): Sniffed => ({ type, image: true });
  const other = (type: string): Sniffed => ({ type, image: false });
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return other("application/pdf");
  if (startsWith(head, [0xff, 0xd8, 0xff])) return image("image/jpeg");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image("image/png");
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP") return image("image/webp");
  if (ascii(head, 0, 4) === "OggS") return other("audio/ogg");
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return other("video/webm");
  if (
    ascii(head, 0, 3) === "ID3" ||
    (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0)
  ) {
    return other("audio/mpeg");
  }
  const brands = isoBrands(head);
  if (brands) {
    if (brands.some((b) => ["heic", "heix", "heim", "heis", "mif1", "msf1", "hevc"].includes(b)))
      return other("image/heic");
    if (brands[0] === "qt  ") return other("video/quicktime");
    if (brands.some((b) => b === "M4A " || b === "M4B ")) return other("audio/mp4");
    return other("video/mp4");
  }
  if (["moov", "mdat", "wide", "free"].includes(ascii(head, 4, 4))) return other("video/quicktime");
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const kind = zipKind(head);
    return kind ? other(kind) : null;
  }
  if (isText(head)) {
    const csv = /\.csv$/i.test(declared.name ?? "") || /csv/i.test(declared.type ?? "");
    return other(csv ? "text/csv" : "text/plain");
  }
  return null;
}

/** The extensions a file of each type may carry; the first is the one it gets. */
const EXTENSIONS: Record<string, readonly string[]> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "image/heic": ["heic", "heif"],
  "video/mp4": ["mp4", "m4v"],
  "video/quicktime": ["mov"],
  "video/webm": ["webm"],
  "audio/mpeg": ["mp3"],
  "audio/mp4": ["m4a"],
  "audio/ogg": ["ogg", "oga", "opus"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.oasis.opendocument.text": ["odt"],
  "text/plain": ["txt"],
  "text/csv": ["csv"],
};

/**
 * A file name as a download may carry it: no path, no control or format
 * characters (bidi overrides make `report<U+202E>fdp.js` read as
 * `reportsj.pdf`; zero-width characters hide), no quotes, not too long; and,
 * given the type its bytes showed, an extension that says that type, so
 * `statement.hta` that is really text is saved as `statement.hta.txt` and no
 * reviewer's computer runs it.
 */
export function safeFilename(name: string | undefined, type?: string): string {
  const base = (name ?? "").split(/[/\\]/).pop() ?? "";
  const clean =
    base
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"]/gu, "")
      .trim()
      .slice(0, 200) || "file";
  const allowed = type ? EXTENSIONS[type] : undefined;
  if (!allowed) return clean;
  const extension = /\.([^.]+)$/.exec(clean)?.[1]?.toLowerCase();
  return extension && allowed.includes(extension) ? clean : `${clean}.${allowed[0]}`;
}
