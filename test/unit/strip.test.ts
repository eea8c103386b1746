import { describe, expect, it } from "vitest";
import { type Strip, stripMetadata, strippable } from "../../worker/files/strip.ts";
import { chunk, concat, contains, exifBlock, jpegWithGps, pngWithText, webpWithExif } from "../helpers/files.ts";

// ---------------------------------------------------------------- builders

const text = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

const cat = concat;

const raw = (...b: number[]) => new Uint8Array(b);

/** A repeatable stream of pseudo-random numbers (xorshift32). */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function cleanedOf(result: Strip): { bytes: Uint8Array; found: string[] } {
  if (!result.cleaned) throw new Error(`not cleaned: ${result.reason}`);
  return result;
}

// JPEG

function seg(marker: number, payload: Uint8Array): Uint8Array {
  const head = raw(0xff, marker, 0, 0);
  new DataView(head.buffer).setUint16(2, payload.length + 2);
  return cat(head, payload);
}

const SOI = raw(0xff, 0xd8);
const EOI = raw(0xff, 0xd9);
const JFIF = seg(0xe0, text("JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
const DQT = seg(0xdb, new Uint8Array(65).fill(1));
const SOF0 = seg(0xc0, raw(8, 0, 1, 0, 1, 1, 1, 0x11, 0));
const SOF2 = seg(0xc2, raw(8, 0, 1, 0, 1, 1, 1, 0x11, 0));
const DHT = (n: number) => seg(0xc4, cat(raw(n), new Uint8Array(16).fill(0), raw()));
const SOS = seg(0xda, raw(1, 1, 0, 0, 0x3f, 0));
const exifApp1 = () => seg(0xe1, cat(text("Exif\0\0"), exifBlock()));
const xmpApp1 = () => seg(0xe1, text("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS 50.45N</x:xmpmeta>"));

/** Entropy-coded data with stuffed bytes, every restart marker and fill bytes before the next marker. */
const SCAN = cat(
  raw(0x12, 0x34, 0xff, 0x00, 0x56),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => raw(0xa0 + k, 0xff, 0xd0 + k)),
  raw(0x78, 0xff, 0x00, 0xff, 0xff, 0xff),
);

/** A baseline JPEG with nothing to strip. */
const plainJpeg = () => cat(SOI, JFIF, DQT, SOF0, DHT(0), SOS, SCAN, EOI);

// PNG

const PNG_SIG = raw(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const IHDR = chunk("IHDR", raw(0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0));
const IDAT = chunk("IDAT", raw(0x78, 0x9c, 0x62, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01));
const IEND = chunk("IEND", raw());
const plainPng = () => cat(PNG_SIG, IHDR, chunk("gAMA", raw(0, 0, 0xb1, 0x8f)), IDAT, IEND);

// WebP

function riff(type: string, data: Uint8Array, pad = 0): Uint8Array {
  const head = new Uint8Array(8);
  head.set(text(type));
  new DataView(head.buffer).setUint32(4, data.length, true);
  return cat(head, data, data.length % 2 ? raw(pad) : raw());
}

function webp(...chunks: Uint8Array[]): Uint8Array {
  const body = cat(text("WEBP"), ...chunks);
  const head = cat(text("RIFF"), raw(0, 0, 0, 0));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return cat(head, body);
}

const VP8X = (flags: number) => riff("VP8X", raw(flags, 0, 0, 0, 0, 0, 0, 0, 0, 0));
const VP8L = riff("VP8L", raw(0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88));
const ICCP = riff("ICCP", text("a tiny colour profile"));
const riffSize = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(4, true);

// ---------------------------------------------------------------- JPEG

describe("JPEG", () => {
  it("drops EXIF (GPS, device), XMP and comments before the scan; the scan is copied byte for byte", () => {
    const input = jpegWithGps();
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/jpeg"));
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    for (const marker of ["Exif", "xmpmeta", "photographer", "checkpoint", "GPS-50"])
      expect(contains(bytes, marker), marker).toBe(false);
    expect(contains(bytes, "JFIF")).toBe(true);
    const scanIn = input.subarray(indexOf(input, raw(0xff, 0xda)));
    const scanOut = bytes.subarray(indexOf(bytes, raw(0xff, 0xda)));
    expect(scanOut).toEqual(scanIn);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it("copies a JPEG with nothing to strip unchanged and finds nothing", () => {
    const input = plainJpeg();
    expect(stripMetadata(input, "image/jpeg")).toEqual({ cleaned: true, bytes: input, found: [] });
  });

  it("keeps ICC profiles and Adobe colour; drops MPF, other APPn and JFIF thumbnails", () => {
    const icc = seg(0xe2, text("ICC_PROFILE\0\x01\x01profile"));
    const adobe = seg(0xee, text("Adobe\0\x64\0\0\0\0\x01"));
    const mpf = seg(0xe2, text("MPF\0II*\0"));
    const iptc = seg(0xed, text("Photoshop 3.0\0 8BIM by-line"));
    const jfifThumb = seg(0xe0, cat(text("JFIF\0\x01\x02\x01\0\x48\0\x48\x01\x01"), raw(1, 2, 3)));
    const input = cat(SOI, jfifThumb, icc, mpf, iptc, adobe, DQT, SOF0, SOS, SCAN, EOI);
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/jpeg"));
    const jfifNoThumb = seg(0xe0, text("JFIF\0\x01\x02\x01\0\x48\0\x48\0\0"));
    expect(bytes).toEqual(cat(SOI, jfifNoThumb, icc, adobe, DQT, SOF0, SOS, SCAN, EOI));
    expect(found).toEqual(["metadata"]);
  });

  it("drops an MPF secondary image after EOI, reporting the GPS in its own EXIF", () => {
    const first = cat(SOI, JFIF, DQT, SOF0, SOS, SCAN, EOI);
    const mpf = seg(0xe2, text("MPF\0MM\0*\0\0\0\x08"));
    const secondary = cat(SOI, exifApp1(), DQT, SOF0, SOS, SCAN, EOI);
    const input = cat(SOI, JFIF, mpf, DQT, SOF0, SOS, SCAN, EOI, secondary);
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/jpeg"));
    expect(bytes).toEqual(first);
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
  });

  it("reports GPS in a trailer's EXIF even when the first image had none", () => {
    const first = plainJpeg();
    const input = cat(first, cat(SOI, exifApp1(), DQT, SOF0, SOS, SCAN, EOI));
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/jpeg"));
    expect(bytes).toEqual(first);
    expect(found).toContain("location");
  });

  it("drops a motion-photo video after EOI", () => {
    const first = plainJpeg();
    const mp4 = cat(raw(0, 0, 0, 0x18), text("ftypmp42"), raw(0, 0, 0, 0), text("isommp42"), raw(0, 0, 0, 8));
    const mdat = cat(raw(0, 0, 0, 0x20), text("mdat"), new Uint8Array(24).fill(0xff));
    const { bytes, found } = cleanedOf(stripMetadata(cat(first, mp4, mdat), "image/jpeg"));
    expect(bytes).toEqual(first);
    expect(bytes.length).toBe(first.length);
    expect(contains(bytes, "ftyp")).toBe(false);
    expect(found).toEqual(["metadata"]);
  });

  it("drops a Samsung-style trailer after EOI", () => {
    const first = plainJpeg();
    const sef = cat(text("Image_UTC_Data1700000000000"), text("SEFH"), raw(0, 0, 0, 0), text("SEFT"));
    const { bytes, found } = cleanedOf(stripMetadata(cat(first, sef), "image/jpeg"));
    expect(bytes).toEqual(first);
    expect(found).toEqual(["metadata"]);
  });

  it("copies stuffed bytes, restart markers and fill bytes in the entropy-coded data unchanged", () => {
    const input = cat(SOI, DQT, SOF0, DHT(0), SOS, SCAN, EOI);
    const { bytes } = cleanedOf(stripMetadata(input, "image/jpeg"));
    expect(bytes).toEqual(input);
    const at = indexOf(bytes, SOS) + SOS.length;
    expect(bytes.subarray(at, at + SCAN.length)).toEqual(SCAN);
  });

  it("progressive: keeps both scans and the tables between them; drops APP1 and COM between them", () => {
    const scan2 = raw(0x55, 0xff, 0x00, 0x66, 0xff, 0xd3, 0x77);
    const input = cat(
      SOI,
      JFIF,
      DQT,
      SOF2,
      DHT(0),
      SOS,
      SCAN,
      DHT(0x10),
      exifApp1(),
      seg(0xfe, text("between the scans")),
      xmpApp1(),
      SOS,
      scan2,
      EOI,
    );
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/jpeg"));
    expect(bytes).toEqual(cat(SOI, JFIF, DQT, SOF2, DHT(0), SOS, SCAN, DHT(0x10), SOS, scan2, EOI));
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    for (const marker of ["Exif", "between the scans", "xmpmeta"]) expect(contains(bytes, marker), marker).toBe(false);
  });
});

// ---------------------------------------------------------------- PNG

describe("PNG", () => {
  it("keeps only the allowlisted chunks and nothing after IEND", () => {
    const kept = [IHDR, chunk("sRGB", raw(0)), chunk("pHYs", raw(0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1)), IDAT, IEND];
    const input = cat(
      PNG_SIG,
      kept[0] as Uint8Array,
      chunk("tEXt", text("Comment\0Location: Mariupol")),
      chunk("iTXt", text("Author\0\0\0\0\0Witness 7")),
      chunk("zTXt", text("Software\0\0x")),
      chunk("eXIf", exifBlock()),
      kept[1] as Uint8Array,
      chunk("tIME", raw(7, 230, 3, 14, 10, 0, 0)),
      chunk("caBX", text("c2pa manifest: claim generator")),
      kept[2] as Uint8Array,
      kept[3] as Uint8Array,
      kept[4] as Uint8Array,
      text("after the end: a hidden note"),
    );
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/png"));
    expect(bytes).toEqual(cat(PNG_SIG, ...kept));
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    for (const marker of ["tEXt", "iTXt", "zTXt", "eXIf", "tIME", "caBX", "hidden note"])
      expect(contains(bytes, marker), marker).toBe(false);
  });

  it("strips the shared sample and copies a clean PNG unchanged", () => {
    const { bytes } = cleanedOf(stripMetadata(pngWithText(), "image/png"));
    for (const marker of ["tEXt", "iTXt", "tIME", "Mariupol"]) expect(contains(bytes, marker), marker).toBe(false);
    const input = plainPng();
    expect(stripMetadata(input, "image/png")).toEqual({ cleaned: true, bytes: input, found: [] });
  });

  it("reports bytes after IEND alone as metadata", () => {
    const input = plainPng();
    const { bytes, found } = cleanedOf(stripMetadata(cat(input, raw(0)), "image/png"));
    expect(bytes).toEqual(input);
    expect(found).toEqual(["metadata"]);
  });

  it("keeps an APNG's animation chunks", () => {
    const actl = chunk("acTL", raw(0, 0, 0, 2, 0, 0, 0, 0));
    const fctl = (n: number) => chunk("fcTL", cat(raw(0, 0, 0, n), new Uint8Array(22)));
    const fdat = chunk("fdAT", cat(raw(0, 0, 0, 2), raw(0x78, 0x9c, 0x62, 0x60, 0, 0, 0, 4, 0, 1)));
    const input = cat(PNG_SIG, IHDR, actl, fctl(0), IDAT, chunk("tEXt", text("k\0v")), fctl(1), fdat, IEND);
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/png"));
    expect(bytes).toEqual(cat(PNG_SIG, IHDR, actl, fctl(0), IDAT, fctl(1), fdat, IEND));
    expect(found).toEqual(["metadata"]);
  });
});

// ---------------------------------------------------------------- WebP

describe("WebP", () => {
  it("keeps only the allowlisted chunks within the RIFF size, rewrites it and clears the VP8X flags", () => {
    const input = webp(
      VP8X(0x2c), // ICC, EXIF, XMP
      ICCP,
      VP8L,
      riff("EXIF", exifBlock()),
      riff("XMP ", text("<x:xmpmeta>author</x:xmpmeta>")),
      riff("C2PA", text("odd-length manifest")),
    );
    const withExtra = cat(input, riff("EXIF", text("after the RIFF end")), text("trailing"));
    const { bytes, found } = cleanedOf(stripMetadata(withExtra, "image/webp"));
    expect(bytes).toEqual(webp(VP8X(0x20), ICCP, VP8L));
    expect(riffSize(bytes)).toBe(bytes.length - 8);
    expect((bytes[20] as number) & 0x0c).toBe(0);
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    for (const marker of ["EXIF", "XMP ", "C2PA", "after the RIFF", "trailing"])
      expect(contains(bytes, marker), marker).toBe(false);
  });

  it("strips the shared sample; copies a clean WebP unchanged", () => {
    const { bytes, found } = cleanedOf(stripMetadata(webpWithExif(), "image/webp"));
    expect(found).toEqual(expect.arrayContaining(["location", "device", "metadata"]));
    expect(contains(bytes, "EXIF")).toBe(false);
    expect(riffSize(bytes)).toBe(bytes.length - 8);
    const input = webp(VP8X(0x20), ICCP, VP8L);
    expect(stripMetadata(input, "image/webp")).toEqual({ cleaned: true, bytes: input, found: [] });
  });

  it("reports data after the RIFF size alone as metadata", () => {
    const input = webp(VP8L);
    const { bytes, found } = cleanedOf(stripMetadata(cat(input, raw(1, 2, 3)), "image/webp"));
    expect(bytes).toEqual(input);
    expect(found).toEqual(["metadata"]);
  });

  it("keeps animation, filtering unknown chunks inside frames", () => {
    const anim = riff("ANIM", raw(0, 0, 0, 0, 0, 0));
    const header = new Uint8Array(16).fill(3);
    const alph = riff("ALPH", raw(0, 1, 2));
    const frameIn = riff("ANMF", cat(header, alph, VP8L, riff("UNKN", text("in-frame note"))));
    const frameOut = riff("ANMF", cat(header, alph, VP8L));
    const input = webp(VP8X(0x12), anim, frameIn, frameIn);
    const { bytes, found } = cleanedOf(stripMetadata(input, "image/webp"));
    expect(bytes).toEqual(webp(VP8X(0x12), anim, frameOut, frameOut));
    expect(found).toEqual(["metadata"]);
  });

  it("zeroes pad bytes after odd-length chunks", () => {
    const odd = riff("ALPH", raw(9, 9, 9), 0x41);
    const { bytes } = cleanedOf(stripMetadata(webp(VP8X(0x10), odd, VP8L), "image/webp"));
    expect(bytes).toEqual(webp(VP8X(0x10), riff("ALPH", raw(9, 9, 9)), VP8L));
  });
});

// ---------------------------------------------------------------- malformed input

describe("malformed input", () => {
  const MALFORMED = { cleaned: false, reason: "malformed" };
  const withLength = (input: Uint8Array, at: number, length: number) => {
    const out = input.slice();
    new DataView(out.buffer).setUint16(at, length);
    return out;
  };
  const jpeg = plainJpeg();
  const cases: [string, Uint8Array, string][] = [
    ["an empty JPEG", raw(), "image/jpeg"],
    ["a truncated JPEG", jpegWithGps().subarray(0, 40), "image/jpeg"],
    ["a JPEG cut inside the scan", jpeg.subarray(0, jpeg.length - 4), "image/jpeg"],
    ["a JPEG without EOI", jpeg.subarray(0, jpeg.length - 2), "image/jpeg"],
    ["a JPEG with a segment length past the end", withLength(jpeg, SOI.length + 2, 0xfff0), "image/jpeg"],
    ["a JPEG with a segment length below 2", withLength(jpeg, SOI.length + 2, 1), "image/jpeg"],
    ["a JPEG with no marker where one is due", cat(SOI, raw(0x12, 0x34), JFIF, SOS, SCAN, EOI), "image/jpeg"],
    ["a JPEG with EOI before any scan", cat(SOI, JFIF, DQT, EOI), "image/jpeg"],
    ["a JPEG with a second SOI", cat(SOI, SOI, SOS, SCAN, EOI), "image/jpeg"],
    ["a PNG as a JPEG", plainPng(), "image/jpeg"],
    ["a PNG without IEND", cat(PNG_SIG, IHDR, IDAT), "image/png"],
    ["a PNG with a chunk length past the end", cat(PNG_SIG, IHDR, IDAT.subarray(0, 10)), "image/png"],
    ["a PNG not starting with IHDR", cat(PNG_SIG, IDAT, IHDR, IEND), "image/png"],
    ["a PNG with a bad signature", cat(raw(0x89), text("PNX\r\n\x1a\n"), IHDR, IEND), "image/png"],
    ["a WebP whose RIFF size exceeds the bytes", webp(VP8L).subarray(0, 20), "image/webp"],
    ["a WebP with a chunk past the RIFF end", webp(riff("VP8L", raw(1, 2)).subarray(0, 9)), "image/webp"],
    ["a WebP with a RIFF size below 4", cat(text("RIFF"), raw(2, 0, 0, 0), text("WEBP")), "image/webp"],
    ["a WebP with a short animation frame", webp(VP8X(2), riff("ANMF", raw(1, 2, 3, 4))), "image/webp"],
  ];

  it.each(cases)("%s", (_name, input, type) => {
    expect(stripMetadata(input, type)).toEqual(MALFORMED);
  });

  const samples: [string, Uint8Array][] = [
    ["image/jpeg", jpegWithGps()],
    ["image/jpeg", cat(plainJpeg(), SOI, exifApp1(), SOS, SCAN, EOI)],
    ["image/jpeg", cat(SOI, JFIF, SOF2, SOS, SCAN, DHT(1), exifApp1(), SOS, SCAN, EOI)],
    ["image/png", pngWithText()],
    ["image/png", cat(plainPng(), text("tail"))],
    ["image/webp", webpWithExif()],
    ["image/webp", webp(VP8X(0x12), riff("ANMF", cat(new Uint8Array(16), VP8L, riff("UNKN", raw(1)))))],
  ];

  it("every strict prefix of a valid file is malformed, and nothing throws", () => {
    for (const [type, input] of samples) {
      const whole = stripMetadata(input, type);
      expect(whole.cleaned, type).toBe(true);
      // Bytes after the end (JPEG EOI, PNG IEND, RIFF size) are not needed.
      const needed = whole.cleaned ? input.length - trailing(type, input) : input.length;
      for (let cut = 0; cut < needed; cut++) {
        expect(stripMetadata(input.subarray(0, cut), type), `${type} cut at ${cut}`).toEqual(MALFORMED);
      }
    }
  });

  it("never throws on random bytes, and a copy strips to itself with nothing found", () => {
    const next = random(0x5eed);
    const types = ["image/jpeg", "image/png", "image/webp"];
    const magic: Record<string, Uint8Array> = {
      "image/jpeg": raw(0xff, 0xd8, 0xff),
      "image/png": PNG_SIG,
      "image/webp": cat(text("RIFF"), raw(0x40, 0, 0, 0), text("WEBP")),
    };
    let copies = 0;
    const check = (input: Uint8Array, type: string) => {
      let result: Strip | undefined;
      expect(() => {
        result = stripMetadata(input, type);
      }).not.toThrow();
      if (result?.cleaned) {
        copies++;
        expect(stripMetadata(result.bytes, type)).toEqual({ cleaned: true, bytes: result.bytes, found: [] });
      } else {
        expect(result?.reason).toBe("malformed");
      }
    };
    for (let i = 0; i < 300; i++) {
      const input = new Uint8Array(Math.floor(next() * 300));
      for (let j = 0; j < input.length; j++) input[j] = Math.floor(next() * 256);
      for (const type of types) {
        check(input, type);
        // Also with the right magic, to get past the first check.
        check(cat(magic[type] as Uint8Array, input), type);
      }
    }
    for (const [type, input] of samples) {
      for (let i = 0; i < 200; i++) {
        // Random truncations and random byte changes of real files.
        check(input.subarray(0, Math.floor(next() * input.length)), type);
        const mutated = input.slice();
        for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
          mutated[Math.floor(next() * mutated.length)] = next() < 0.3 ? 0xff : Math.floor(next() * 256);
        }
        check(mutated, type);
      }
    }
    expect(copies).toBeGreaterThan(0);
  });
});

/** How many bytes of a valid sample follow its end (so a prefix without them is still whole). */
function trailing(type: string, input: Uint8Array): number {
  if (type === "image/jpeg") return input.length - (indexOf(input, EOI) + 2);
  if (type === "image/png") return input.length - (indexOf(input, text("IEND")) + 8);
  return input.length - 8 - riffSize(input);
}

// ---------------------------------------------------------------- other types

describe("other types", () => {
  it.each(["application/pdf", "image/heic", "video/mp4", "image/gif", ""])("%s gets no copy", (type) => {
    expect(stripMetadata(jpegWithGps(), type)).toEqual({ cleaned: false, reason: "type" });
    expect(strippable(type)).toBe(false);
  });

  it.each(["image/jpeg", "image/png", "image/webp"])("%s is strippable", (type) => {
    expect(strippable(type)).toBe(true);
  });
});
