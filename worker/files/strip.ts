/**
 * Metadata-free copies of JPEG, PNG and WebP images, made at the container
 * level: the blocks that carry EXIF, GPS, XMP, IPTC and text are left out and
 * every other byte (the picture itself) is copied unchanged, so nothing is
 * re-encoded and nothing is lost but the metadata.
 */

/** What identifying metadata an image carried, for the submitter's notice. */
export type Finding = "location" | "device" | "metadata";

export interface Stripped {
  bytes: Uint8Array;
  found: Finding[];
}

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

/** JPEG: keep JFIF (APP0), ICC profiles (APP2 ICC_PROFILE) and Adobe colour (APP14); drop other APPn and comments. */
function stripJpeg(bytes: Uint8Array): Stripped {
  const keep: Uint8Array[] = [bytes.subarray(0, 2)];
  const found = new Set<Finding>();
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error("not a JPEG segment");
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Start of scan: the compressed picture follows to the end; copy the rest as it is.
    if (marker === 0xda) {
      keep.push(bytes.subarray(at));
      break;
    }
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    const segment = bytes.subarray(at, at + 2 + length);
    const payload = segment.subarray(4);
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (marker === 0xe1 && ascii(payload, 0, 6) === "Exif\0\0") {
      for (const f of exifFindings(payload.subarray(6))) found.add(f);
    } else if (
      marker === 0xfe ||
      (isApp && marker !== 0xe0 && marker !== 0xee && !(marker === 0xe2 && ascii(payload, 0, 12) === "ICC_PROFILE\0"))
    ) {
      found.add("metadata");
    } else {
      keep.push(segment);
    }
    at += 2 + length;
  }
  return { bytes: concat(keep), found: [...found] };
}

const PNG_DROP = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);

/** PNG: drop text, EXIF and time chunks; keep the picture and its colour information. */
function stripPng(bytes: Uint8Array): Stripped {
  const keep: Uint8Array[] = [bytes.subarray(0, 8)];
  const found = new Set<Finding>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = ascii(bytes, at + 4, 4);
    const chunk = bytes.subarray(at, at + 12 + length);
    if (PNG_DROP.has(type)) {
      if (type === "eXIf") for (const f of exifFindings(chunk.subarray(8, 8 + length))) found.add(f);
      else found.add("metadata");
    } else {
      keep.push(chunk);
    }
    at += 12 + length;
    if (type === "IEND") break;
  }
  return { bytes: concat(keep), found: [...found] };
}

/** WebP: drop the EXIF and XMP chunks, and clear their flags in the VP8X header. */
function stripWebp(bytes: Uint8Array): Stripped {
  const chunks: Uint8Array[] = [];
  const found = new Set<Finding>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = ascii(bytes, at, 4);
    const length = view.getUint32(at + 4, true);
    const padded = length + (length & 1);
    const chunk = bytes.slice(at, at + 8 + padded);
    if (type === "EXIF") {
      for (const f of exifFindings(chunk.subarray(8, 8 + length))) found.add(f);
    } else if (type === "XMP ") {
      found.add("metadata");
    } else {
      // VP8X flags: bit 3 EXIF, bit 2 XMP.
      if (type === "VP8X") chunk[8] = (chunk[8] as number) & ~0x0c;
      chunks.push(chunk);
    }
    at += 8 + padded;
  }
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(bytes.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return { bytes: concat([header, body]), found: [...found] };
}

/** The metadata-free copy of an image, or null when the type has no metadata to strip here. */
export function stripMetadata(bytes: Uint8Array, type: string): Stripped | null {
  if (type === "image/jpeg") return stripJpeg(bytes);
  if (type === "image/png") return stripPng(bytes);
  if (type === "image/webp") return stripWebp(bytes);
  return null;
}
