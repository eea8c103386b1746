/**
 * Reads the entries of a ZIP whose entries are stored uncompressed (as
 * packets are): the central directory gives each entry's name, size and
 * where its local header starts, ZIP64 fields included. For tests only.
 */
export function unzipStored(zip: Uint8Array): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  for (const [name, { method, data }] of zipEntries(zip)) {
    if (method !== 0) throw new Error(`${name} is compressed`);
    entries.set(name, data);
  }
  return entries;
}

/** The text of each entry of a ZIP whose entries may be deflated (as Word documents are). */
export async function unzipText(zip: Uint8Array): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const [name, { method, data }] of zipEntries(zip)) {
    const bytes =
      method === 8
        ? new Uint8Array(
            await new Response(
              new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
            ).arrayBuffer(),
          )
        : data;
    entries.set(name, new TextDecoder().decode(bytes));
  }
  return entries;
}

function zipEntries(zip: Uint8Array): Map<string, { method: number; data: Uint8Array }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("no end of central directory");
  let count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (at === 0xffffffff || count === 0xffff) {
    const zip64 = Number(view.getBigUint64(view.getUint32(end - 20 + 8, true) + 48, true));
    count = Number(view.getBigUint64(view.getUint32(end - 20 + 8, true) + 32, true));
    at = zip64;
  }
  const entries = new Map<string, { method: number; data: Uint8Array }>();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let offset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information: the 64-bit values, in this order, for the fields that overflowed.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra < extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const uncompressed = view.getUint32(at + 24, true);
        if (uncompressed === 0xffffffff) field += 8;
        if (size === 0xffffffff) [size, field] = [Number(view.getBigUint64(field, true)), field + 8];
        if (offset === 0xffffffff) offset = Number(view.getBigUint64(field, true));
      }
      extra += 4 + length;
    }
    const dataAt = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    entries.set(name, { method, data: zip.subarray(dataAt, dataAt + size) });
    at = extraEnd + commentLength;
  }
  return entries;
}
