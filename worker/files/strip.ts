/**
 * Metadata-free copies of JPEG, PNG and WebP images, made at the container
 * level. Each format has an allowlist of the blocks a picture needs to be
 * shown (pixels, tables, colour information, animation); those are copied
 * byte for byte and everything else is left out: EXIF, GPS, XMP, IPTC,
 * comments, text, unknown chunks (C2PA and the like), and whatever follows
 * the image's end (MPF secondary images, motion-photo videos, vendor
 * trailers). Nothing is re-encoded, so nothing is lost but the metadata.
 *
 * The walk is total: every read is bounds-checked, every loop advances, and
 * no input makes it throw. A file that does not parse as its type is
 * "malformed" and gets no copy at all, never a partial one.
 */

/** What identifying metadata an image carried, for the submitter's notice. */
export type Finding = "location" | "device" | "metadata";

export type Strip =
  | { cleaned: true; bytes: Uint8Array; found: Finding[] }
  | { cleaned: false; reason: "type" | "malformed" };

const MALFORMED: Strip = Object.freeze({ cleaned: false, reason: "malformed" });
const STRIPPABLE = new Set(["image/jpeg", "image/png", "image/webp"]);

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** Whether `bytes` begins with the ASCII string `prefix` (false when too short). */
function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function cleaned(keep: Uint8Array[], found: Set<Finding>): Strip {
  return { cleaned: true, bytes: concat(keep), found: [...found] };
}

function addExif(found: Set<Finding>, data: Uint8Array): void {
  // PNG eXIf and WebP EXIF hold the TIFF block itself, but some writers keep the JPEG "Exif\0\0" prefix.
  for (const f of exifFindings(startsWith(data, "Exif\0\0") ? data.subarray(6) : data)) found.add(f);
}

/**
 * Reads an EXIF (TIFF) block's first directory: GPS info (tag 0x8825) means
 * location, Make/Model (0x010f/0x0110) mean device. Defensive: a malformed
 * block yields only "metadata".
 */
export function exifFindings(tiff: Uint8Array): Finding[] {
  const found = new Set<Finding>(["metadata"]);
  if (tiff.length < 8) return [...found];
  const little = ascii(tiff, 0, 2) === "II";
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return [...found];
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const tag = view.getUint16(entry, little);
    if (tag === 0x8825) found.add("location");
    if (tag === 0x010f || tag === 0x0110) found.add("device");
  }
  return [...found];
}

// ---------------------------------------------------------------- JPEG

/**
 * One segment outside the entropy-coded data: the bytes to keep, or null to
 * drop it. Kept: JFIF (APP0, rewritten without its thumbnail), ICC profiles
 * (APP2 ICC_PROFILE), Adobe colour (APP14 Adobe) and the table and frame
 * segments (SOFn, DHT, DAC, DQT, DNL, DRI, DHP, EXP, JPGn). Dropped: every
 * other APPn, comments, and reserved markers.
 */
function jpegSegment(marker: number, segment: Uint8Array, found: Set<Finding>): Uint8Array | null {
  const payload = segment.subarray(4);
  if (marker >= 0xe0 && marker <= 0xef) {
    if (marker === 0xe0 && startsWith(payload, "JFIF\0") && payload.length >= 14) {
      // Version, units and density stay; the optional thumbnail (a second picture) goes.
      const jfif = new Uint8Array(18);
      jfif.set([0xff, 0xe0, 0x00, 0x10]);
      jfif.set(payload.subarray(0, 12), 4);
      if (payload.length > 14 || payload[12] !== 0 || payload[13] !== 0) found.add("metadata");
      return jfif;
    }
    if (marker === 0xe2 && startsWith(payload, "ICC_PROFILE\0")) return segment;
    if (marker === 0xee && startsWith(payload, "Adobe")) return segment;
    if (marker === 0xe1 && startsWith(payload, "Exif\0\0")) {
      for (const f of exifFindings(payload.subarray(6))) found.add(f);
    } else {
      found.add("metadata");
    }
    return null;
  }
  if ((marker >= 0xc0 && marker <= 0xcf) || (marker >= 0xdb && marker <= 0xdf) || (marker >= 0xf0 && marker <= 0xfd)) {
    return segment;
  }
  // COM (0xFE) and the reserved markers 0x02–0xBF.
  found.add("metadata");
  return null;
}

/**
 * Where the entropy-coded data starting at `from` ends: the index of the
 * 0xFF that begins the next real marker, or -1 when the bytes run out first.
 * Stuffed bytes (FF 00), restart markers (FF D0–D7) and fill bytes (FF FF…)
 * are part of the data.
 */
function scanEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i + 1 >= bytes.length) return -1;
    const next = bytes[i + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
    else if (next === 0xff) i += 1;
    else return i;
  }
}

/** Bytes after EOI are never copied; report them, and the EXIF of any secondary image among them. */
function jpegTrailer(rest: Uint8Array, found: Set<Finding>): void {
  if (rest.length === 0) return;
  found.add("metadata");
  // An APP1 EXIF segment: FF E1, a two-byte length, "Exif\0\0", the TIFF block.
  let i = rest.indexOf(0xff);
  while (i >= 0 && i + 10 <= rest.length) {
    if (rest[i + 1] === 0xe1 && startsWith(rest.subarray(i + 4), "Exif\0\0")) {
      const length = ((rest[i + 2] as number) << 8) | (rest[i + 3] as number);
      const end = Math.max(i + 10, Math.min(rest.length, i + 2 + length));
      for (const f of exifFindings(rest.subarray(i + 10, end))) found.add(f);
    }
    i = rest.indexOf(0xff, i + 1);
  }
}

/**
 * JPEG: walks the segments from SOI, through every scan (a progressive JPEG
 * has several, with tables between them), to the first EOI, and stops there.
 */
function stripJpeg(bytes: Uint8Array): Strip {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return MALFORMED;
  const keep: Uint8Array[] = [bytes.subarray(0, 2)];
  const found = new Set<Finding>();
  let scanned = false;
  let at = 2;
  for (;;) {
    // A marker: FF, any fill bytes (FF), then its code.
    if (at >= n || bytes[at] !== 0xff) return MALFORMED;
    while (at + 1 < n && bytes[at + 1] === 0xff) at++;
    if (at + 1 >= n) return MALFORMED;
    const marker = bytes[at + 1] as number;
    if (marker === 0xd9) {
      // EOI: a picture needs at least one scan before it.
      if (!scanned) return MALFORMED;
      keep.push(bytes.subarray(at, at + 2));
      jpegTrailer(bytes.subarray(at + 2), found);
      return cleaned(keep, found);
    }
    if (marker === 0x01) {
      // TEM: a marker without a length or payload.
      keep.push(bytes.subarray(at, at + 2));
      at += 2;
      continue;
    }
    // FF 00 or a restart marker outside a scan, or a second SOI.
    if (marker === 0x00 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) return MALFORMED;
    if (at + 4 > n) return MALFORMED;
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    const end = at + 2 + length;
    if (length < 2 || end > n) return MALFORMED;
    const segment = bytes.subarray(at, end);
    if (marker === 0xda) {
      // SOS: the segment, then the entropy-coded data up to the next marker.
      const stop = scanEnd(bytes, end);
      if (stop < 0) return MALFORMED;
      keep.push(segment, bytes.subarray(end, stop));
      scanned = true;
      at = stop;
      continue;
    }
    const kept = jpegSegment(marker, segment, found);
    if (kept) keep.push(kept);
    at = end;
  }
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_KEEP = new Set([
  "IHDR",
  "PLTE",
  "IDAT",
  "IEND",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "iCCP",
  "sBIT",
  "pHYs",
  "acTL",
  "fcTL",
  "fdAT",
]);

function isChunkType(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = bytes[i] as number;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}

/** PNG: keeps the allowlisted chunks (picture, colour, animation) up to IEND; nothing after it. */
function stripPng(bytes: Uint8Array): Strip {
  const n = bytes.length;
  if (n < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return MALFORMED;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keep: Uint8Array[] = [bytes.subarray(0, 8)];
  const found = new Set<Finding>();
  let at = 8;
  for (;;) {
    // Length, type, data, CRC.
    if (at + 12 > n) return MALFORMED;
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > n || !isChunkType(bytes, at + 4)) return MALFORMED;
    const type = ascii(bytes, at + 4, 4);
    if (at === 8 && type !== "IHDR") return MALFORMED;
    if (PNG_KEEP.has(type)) keep.push(bytes.subarray(at, end));
    else if (type === "eXIf") addExif(found, bytes.subarray(at + 8, at + 8 + length));
    else found.add("metadata");
    at = end;
    if (type === "IEND") {
      if (at < n) found.add("metadata");
      return cleaned(keep, found);
    }
  }
}

// ---------------------------------------------------------------- WebP

const WEBP_KEEP = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);
/** What an animation frame's data may hold besides its 16-byte header. */
const WEBP_FRAME_KEEP = new Set(["VP8 ", "VP8L", "ALPH"]);

function riffChunk(type: Uint8Array, data: Uint8Array[]): Uint8Array {
  const length = data.reduce((s, d) => s + d.length, 0);
  const head = new Uint8Array(8);
  head.set(type);
  new DataView(head.buffer).setUint32(4, length, true);
  // Odd lengths get a zero pad byte, whatever the original held there.
  return concat([head, ...data, new Uint8Array(length & 1)]);
}

/**
 * The allowlisted chunks of a RIFF body between `from` and `end`, rebuilt
 * (VP8X flags cleared, animation frames filtered), or null when a chunk does
 * not fit.
 */
function webpChunks(
  bytes: Uint8Array,
  from: number,
  end: number,
  allow: Set<string>,
  found: Set<Finding>,
): Uint8Array[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = from;
  while (at < end) {
    if (at + 8 > end) return null;
    const type = ascii(bytes, at, 4);
    const length = view.getUint32(at + 4, true);
    const dataEnd = at + 8 + length;
    if (dataEnd > end) return null;
    const data = bytes.subarray(at + 8, dataEnd);
    const tag = bytes.subarray(at, at + 4);
    if (!allow.has(type)) {
      if (type === "EXIF") addExif(found, data);
      else found.add("metadata");
    } else if (type === "VP8X") {
      const header = data.slice();
      // Flags: bit 3 EXIF, bit 2 XMP; neither is in the copy.
      if (header.length > 0) header[0] = (header[0] as number) & ~0x0c;
      out.push(riffChunk(tag, [header]));
    } else if (type === "ANMF") {
      if (length < 16) return null;
      const frame = webpChunks(bytes, at + 8 + 16, dataEnd, WEBP_FRAME_KEEP, found);
      if (!frame) return null;
      out.push(riffChunk(tag, [data.subarray(0, 16), ...frame]));
    } else {
      out.push(riffChunk(tag, [data]));
    }
    // The pad byte after an odd length; a missing one at the very end is tolerated.
    at = Math.min(end, dataEnd + (length & 1));
  }
  return out;
}

/** WebP: keeps the allowlisted chunks within the declared RIFF size, and rewrites that size. */
function stripWebp(bytes: Uint8Array): Strip {
  const n = bytes.length;
  if (n < 12 || !startsWith(bytes, "RIFF") || !startsWith(bytes.subarray(8), "WEBP")) return MALFORMED;
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const end = 8 + size;
  if (size < 4 || end > n) return MALFORMED;
  const found = new Set<Finding>();
  if (end < n) found.add("metadata");
  const chunks = webpChunks(bytes, 12, end, WEBP_KEEP, found);
  if (!chunks) return MALFORMED;
  const body = concat(chunks);
  const header = bytes.slice(0, 12);
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return cleaned([header, body], found);
}

// ---------------------------------------------------------------- API

/** Whether this media type can get a metadata-free copy at all. */
export function strippable(type: string): boolean {
  return STRIPPABLE.has(type);
}

/** A metadata-free copy of a JPEG, PNG or WebP image; never throws. `reason: "type"` for every other type. */
export function stripMetadata(bytes: Uint8Array, type: string): Strip {
  if (!strippable(type)) return { cleaned: false, reason: "type" };
  try {
    if (type === "image/jpeg") return stripJpeg(bytes);
    if (type === "image/png") return stripPng(bytes);
    return stripWebp(bytes);
  } catch {
    // Every parser checks its bounds; this is only the last resort.
    return MALFORMED;
  }
}
