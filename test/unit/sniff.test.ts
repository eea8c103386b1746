import { describe, expect, it } from "vitest";
import { safeFilename, sniff } from "../../worker/files/sniff.ts";
import { executable, jpegWithGps, pngWithText, webpWithExif } from "../helpers/files.ts";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  return bytes([0, 0, 0, size], "ftyp", major, [0, 0, 0, 0], ...compatible);
}

function zipEntry(name: string, data = ""): Uint8Array {
  const header = new Uint8Array(30);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint32(18, data.length, true);
  v.setUint32(22, data.length, true);
  v.setUint16(26, name.length, true);
  return new Uint8Array([...header, ...bytes(name), ...bytes(data)]);
}

describe("sniffing a file's type from its bytes", () => {
  it.each([
    ["PDF", bytes("%PDF-1.4\n"), "application/pdf"],
    ["JPEG", jpegWithGps(), "image/jpeg"],
    ["PNG", pngWithText(), "image/png"],
    ["WebP", webpWithExif(), "image/webp"],
    ["HEIC", ftyp("heic", "mif1", "heic"), "image/heic"],
    ["MP4", ftyp("isom", "isom", "avc1"), "video/mp4"],
    ["QuickTime", ftyp("qt  ", "qt  "), "video/quicktime"],
    ["M4A", ftyp("M4A ", "M4A ", "mp42"), "audio/mp4"],
    ["WebM", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), "video/webm"],
    ["MP3 with ID3", bytes("ID3", [4, 0, 0]), "audio/mpeg"],
    ["MP3 frame", bytes([0xff, 0xfb, 0x90, 0x64]), "audio/mpeg"],
    ["OGG", bytes("OggS", [0, 2]), "audio/ogg"],
    [
      "DOCX",
      new Uint8Array([...zipEntry("[Content_Types].xml", "<x/>"), ...zipEntry("word/document.xml", "<w/>")]),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
    [
      "XLSX",
      new Uint8Array([...zipEntry("[Content_Types].xml", "<x/>"), ...zipEntry("xl/workbook.xml", "<w/>")]),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    ["ODT", zipEntry("mimetype", "application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"],
    ["text in any script", new TextEncoder().encode("Witness: Ахмед — أحمد — 艾哈迈德\nLine two\n"), "text/plain"],
  ])("%s", (_name, head, type) => {
    expect(sniff(head)?.type).toBe(type);
  });

  it("calls text CSV only when declared so, and takes UTF-8 cut mid-character at the sniff boundary", () => {
    expect(sniff(bytes("name,country\nA,UA\n"), { name: "list.csv" })?.type).toBe("text/csv");
    const text = new TextEncoder().encode("Ж".repeat(10));
    expect(sniff(text.subarray(0, 9))?.type).toBe("text/plain");
  });

  it.each([
    ["a Windows executable named .pdf", executable()],
    ["an ELF binary", bytes([0x7f], "ELF", [2, 1, 1, 0])],
    ["a ZIP of anything else", zipEntry("payload.exe", "MZ")],
    ["a shell script with NUL bytes", bytes("#!/bin/sh\n", [0, 0, 0])],
    ["an empty file", new Uint8Array(0)],
    ["random binary", new Uint8Array(256).map((_, i) => (i * 37) % 256)],
  ])("refuses %s", (_name, head) => {
    expect(sniff(head, { name: "report.pdf", type: "application/pdf" })).toBeNull();
  });

  it("cleans file names for downloads: no paths, no control characters, no quotes", () => {
    expect(safeFilename('../../etc/"pass\u0007wd"')).toBe("passwd");
    expect(safeFilename("C:\\Users\\me\\تقرير.pdf")).toBe("تقرير.pdf");
    expect(safeFilename("")).toBe("file");
  });
});
