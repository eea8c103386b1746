/**
 * Whether an uploaded Office document (DOCX, XLSX, ODT: all ZIP files) is safe to hand to a
 * reviewer, judged from its central directory alone: the list every Office program reads.
 * We never inflate anything. The harms here (zip bombs, macros, programs, paths that escape a
 * folder) land on the reviewer's computer, not on ours, so the directory's declarations are
 * what we judge, and anything we cannot read with certainty is refused.
 */

export type ContainerProblem =
  | "malformed" // no end record, offsets outside the file, a truncated directory, ZIP64 we cannot read…
  | "not_office" // the parts the claimed kind needs are missing
  | "macros" // VBA or ODF Basic/Scripts storage
  | "executable" // a program, or an embedded OLE package that can wrap one
  | "encrypted" // we could not see inside, and neither could a reviewer without a password
  | "unsafe_path" // an absolute name, `..`, a backslash or a control character
  | "too_many_entries"
  | "too_large"; // too much in total, or a zip bomb's ratio
export type OfficeKind = "docx" | "xlsx" | "odt";

export const MAX_ENTRIES = 5000;
export const MAX_UNCOMPRESSED = 1024 ** 3;
export const MAX_RATIO = 200;
/** How many trailing bytes of a file inspectOfficeZip wants (the central directory must lie within them). */
export const ZIP_TAIL_BYTES = 4 * 1024 * 1024;

/** Below this, an entry may compress as well as it likes: small repetitive XML is normal. */
const RATIO_FLOOR = 1024 * 1024;
/** Reported in this order, after "malformed" (which stops the walk at once). */
const ORDER: readonly ContainerProblem[] = [
  "too_many_entries",
  "unsafe_path",
  "encrypted",
  "too_large",
  "macros",
  "executable",
  "not_office",
];
const REQUIRED: Record<OfficeKind, readonly string[]> = {
  docx: ["[Content_Types].xml", "word/document.xml"],
  xlsx: ["[Content_Types].xml", "xl/workbook.xml"],
  odt: ["mimetype", "content.xml", "META-INF/manifest.xml"],
};
const KINDS = new Map<string, OfficeKind>([
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"],
  ["application/vnd.oasis.opendocument.text", "odt"],
]);
const words = (list: string) => new Set(list.split(" "));
// VBA storage (with the signature variants newer Office writes next to it).
const MACRO_FILES = words(
  "vbaproject.bin vbaprojectsignature.bin vbaprojectsignatureagile.bin vbaprojectsignaturev3.bin vbadata.xml",
);
// Macro-enabled Office packages embedded in the document carry their own VBA.
const MACRO_EXTENSIONS = words("docm dotm xlsm xltm xlam pptm potm ppam ppsm sldm");
const EXECUTABLE_EXTENSIONS = words(
  "exe dll com scr bat cmd ps1 psm1 vbs vbe js jse wsf wsh hta msi msp jar lnk sh app cpl reg pif gadget apk dmg so dylib",
);
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** Thrown by any read outside the bytes, or any inconsistency; caught once, as "malformed". */
class Malformed extends Error {}

/** Little-endian reads that check their bounds first. */
function reader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inside = (at: number, length: number) => {
    assert(Number.isSafeInteger(at) && at >= 0 && at + length <= bytes.length);
    return at;
  };
  return {
    u16: (at: number) => view.getUint16(inside(at, 2), true),
    u32: (at: number) => view.getUint32(inside(at, 4), true),
    u64: (at: number) => view.getUint32(inside(at, 8), true) + view.getUint32(at + 4, true) * 2 ** 32,
    bytes: (at: number, length: number) => bytes.subarray(inside(at, length), at + length),
  };
}
type Reader = ReturnType<typeof reader>;

function assert(ok: boolean): asserts ok {
  if (!ok) throw new Malformed();
}

/** The one End Of Central Directory record whose comment runs exactly to the end; two would be read two ways. */
function findEocd(r: Reader, length: number): number {
  let found = -1;
  for (let at = length - 22; at >= 0 && at >= length - 22 - 0xffff; at--) {
    if (r.u32(at) !== SIG_EOCD || at + 22 + r.u16(at + 20) !== length) continue;
    assert(found < 0);
    found = at;
  }
  assert(found >= 0);
  return found;
}

/** A classic field is either "see ZIP64" or must agree with ZIP64: two answers invite two readings. */
function pick(classic: number, sentinel: number, wide: number): number {
  assert(classic === sentinel || classic === wide);
  return wide;
}

/** Where the data of the extra field with this header id starts and ends; a missing one is malformed. */
function extraField(r: Reader, at: number, length: number, id: number): [number, number] {
  for (const end = at + length; at + 4 <= end; at += 4 + r.u16(at + 2)) {
    assert(at + 4 + r.u16(at + 2) <= end);
    if (r.u16(at) === id) return [at + 4, at + 4 + r.u16(at + 2)];
  }
  throw new Malformed();
}

function decodeName(raw: Uint8Array, utf8: boolean): string | null {
  if (!utf8) return Array.from(raw, (b) => String.fromCharCode(b)).join(""); // latin1: one char a byte
  try {
    // Fatal: overlong or broken sequences are how a "/" or ".." hides from a check.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    return null;
  }
}

function unsafePath(name: string): boolean {
  return (
    name.startsWith("/") ||
    /^[a-z]:/i.test(name) || // a Windows drive
    name.includes("\\") ||
    Array.from(name).some((c) => c < " ") ||
    name.split("/").includes("..")
  );
}

export function inspectOfficeZip(tail: Uint8Array, size: number, kind: OfficeKind): ContainerProblem | null {
  try {
    return inspect(tail, size, kind);
  } catch {
    // Fail closed: what we cannot read, the reviewer's unzip should not be asked to read either.
    return "malformed";
  }
}

function inspect(tail: Uint8Array, size: number, kind: OfficeKind): ContainerProblem | null {
  assert(Number.isSafeInteger(size) && tail.length <= size);
  const r = reader(tail);
  const base = size - tail.length; // the file offset of tail[0]
  const eocd = findEocd(r, tail.length);
  let [disk, cdDisk, onDisk, count] = [r.u16(eocd + 4), r.u16(eocd + 6), r.u16(eocd + 8), r.u16(eocd + 10)];
  let [cdSize, cdOffset] = [r.u32(eocd + 12), r.u32(eocd + 16)];
  let cdEnd = eocd; // the directory must end where the next record starts
  const locator = eocd - 20;
  if (locator >= 0 && r.u32(locator) === SIG_ZIP64_LOCATOR) {
    assert(r.u32(locator + 4) === 0 && r.u32(locator + 16) === 1);
    const at = r.u64(locator + 8) - base;
    assert(r.u32(at) === SIG_ZIP64_EOCD && r.u64(at + 4) >= 44 && at + 12 + r.u64(at + 4) === locator);
    disk = pick(disk, 0xffff, r.u32(at + 16));
    cdDisk = pick(cdDisk, 0xffff, r.u32(at + 20));
    onDisk = pick(onDisk, 0xffff, r.u64(at + 24));
    count = pick(count, 0xffff, r.u64(at + 32));
    cdSize = pick(cdSize, 0xffffffff, r.u64(at + 40));
    cdOffset = pick(cdOffset, 0xffffffff, r.u64(at + 48));
    cdEnd = at;
  } else {
    assert(count !== 0xffff && cdSize !== 0xffffffff && cdOffset !== 0xffffffff);
  }
  // One disk only (Office never spans), and the directory must sit right before its end record.
  assert(disk === 0 && cdDisk === 0 && onDisk === count && cdOffset + cdSize === base + cdEnd);
  const cdStart = cdOffset - base;
  if (cdStart < 0) return count > MAX_ENTRIES ? "too_many_entries" : "malformed";
  assert(count * 46 <= cdSize);

  const found = new Set<ContainerProblem>();
  const names = new Set<string>();
  const spans: [number, number][] = [];
  let total = 0;
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    assert(r.u32(at) === SIG_CENTRAL);
    const flags = r.u16(at + 8);
    const method = r.u16(at + 10);
    let compressed = r.u32(at + 20);
    let uncompressed = r.u32(at + 24);
    const nameLength = r.u16(at + 28);
    const extraLength = r.u16(at + 30);
    let offset = r.u32(at + 42);
    const raw = r.bytes(at + 46, nameLength);
    const extra = at + 46 + nameLength;
    if (uncompressed === 0xffffffff || compressed === 0xffffffff || offset === 0xffffffff) {
      // ZIP64 extended information: only the fields that overflowed, in this order.
      let [next, end] = extraField(r, extra, extraLength, 0x0001);
      if (uncompressed === 0xffffffff) [uncompressed, next] = [r.u64(next), next + 8];
      if (compressed === 0xffffffff) [compressed, next] = [r.u64(next), next + 8];
      if (offset === 0xffffffff) [offset, next] = [r.u64(next), next + 8];
      assert(next <= end);
    }
    at = extra + extraLength + r.u16(at + 32);
    assert(at <= cdEnd && offset + 30 + nameLength + compressed <= cdOffset);
    spans.push([offset, offset + 30 + nameLength + compressed]);
    // When the local header is in view, it must name the same entry: readers that stream see only it.
    const local = offset - base;
    if (local >= 0) {
      assert(r.u32(local) === SIG_LOCAL && r.bytes(local + 30, r.u16(local + 26)).join() === raw.join());
    }

    // Encrypted: bit 0, strong encryption (bit 6), a masked directory (bit 13), or AES (method 99).
    if ((flags & 0x2041) !== 0 || method === 99) found.add("encrypted");
    else assert(method === 0 || method === 8); // all Office writes; anything else means a stranger's parser
    // Declared sizes are all we have; a bomb's harm is to the reviewer's machine when they open it.
    total += uncompressed;
    if (uncompressed > RATIO_FLOOR && uncompressed > compressed * MAX_RATIO) found.add("too_large");

    const name = decodeName(raw, (flags & 0x0800) !== 0);
    if (name === null || unsafePath(name)) {
      found.add("unsafe_path");
      continue;
    }
    names.add(name);
    const segments = name.split("/");
    const last = (segments.at(-1) ?? "").toLowerCase();
    const bare = last.replace(/[. ]+$/, ""); // Windows drops trailing dots and spaces: "x.exe." runs
    const extension = bare.includes(".") ? bare.slice(bare.lastIndexOf(".") + 1) : "";
    const odfMacros = segments.length > 1 && /^(basic|scripts)$/i.test(segments[0] ?? "");
    if (MACRO_FILES.has(last) || MACRO_EXTENSIONS.has(extension) || odfMacros) found.add("macros");
    // An OLE package in embeddings/ can wrap any program, one double-click from running.
    if (EXECUTABLE_EXTENSIONS.has(extension) || /(^|\/)embeddings\/.*\.bin$/i.test(name)) found.add("executable");
  }
  assert(at === cdEnd);
  // Entries may not overlap (the trick of the smallest zip bombs), nor leave bytes before the first.
  spans.sort((a, b) => a[0] - b[0]);
  assert((spans[0]?.[0] ?? 0) === 0);
  assert(spans.every(([start], i) => i === 0 || start >= (spans[i - 1]?.[1] ?? 0)));

  if (count > MAX_ENTRIES) found.add("too_many_entries");
  if (total > MAX_UNCOMPRESSED) found.add("too_large");
  if (!REQUIRED[kind].every((part) => names.has(part))) found.add("not_office");
  return ORDER.find((problem) => found.has(problem)) ?? null;
}

/** The kind for the media types the sniffer gives Office files, else null. */
export function officeKind(mediaType: string): OfficeKind | null {
  return KINDS.get(mediaType) ?? null;
}
