import type { DevServer } from "../scripts/lib/dev-server.ts";
import { repeat, spread } from "./stats.ts";

export const RESUME_TARGET_MS = 2_000;
const CHUNK = 16 * 1024 * 1024;
const MiB = 1024 * 1024;

export function pdf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i + 4 <= size; i += 4096) view.setUint32(i, (i * 2654435761) >>> 0, true);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

const TUS = { "Tus-Resumable": "1.0.0" };

export async function create(server: DevServer, length: number): Promise<string> {
  const res = await fetch(`${server.baseUrl}/uploads`, {
    method: "POST",
    headers: { ...TUS, "Upload-Length": String(length), "Upload-Metadata": `filename ${btoa("bench.pdf")}` },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status}`);
  return `${server.baseUrl}${res.headers.get("Location")}`;
}

class Retry extends Error {}

async function patch(url: string, offset: number, body: BodyInit): Promise<number> {
  const res = await fetch(url, {
    method: "PATCH",
    headers: { ...TUS, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body,
    duplex: "half",
  } as RequestInit);
  await res.arrayBuffer();
  // 423: the cut request still holds the upload; 409: it has since saved more. Ask again, as tus clients do.
  if (res.status === 423 || res.status === 409) throw new Retry(String(res.status));
  if (res.status !== 204) throw new Error(`patch at ${offset}: ${res.status}`);
  return Number(res.headers.get("Upload-Offset"));
}

/** HEAD then one PATCH of `bytes` from the server's offset, retried the way a tus client does. */
async function resume(url: string, file: Uint8Array, bytes: number): Promise<number> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const offset = await head(url);
    try {
      return await patch(url, offset, file.slice(offset, offset + bytes));
    } catch (error) {
      // A network failure (fetch's TypeError) is retried too, as tus clients do: the PATCH
      // right after the cut can meet the connection the dev proxy is still closing.
      if (!(error instanceof Retry || error instanceof TypeError)) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("upload did not resume");
}

async function head(url: string): Promise<number> {
  const res = await fetch(url, { method: "HEAD", headers: TUS });
  return Number(res.headers.get("Upload-Offset"));
}

export async function sendFrom(url: string, file: Uint8Array, from: number, until = file.length): Promise<number> {
  let offset = from;
  while (offset < until) offset = await patch(url, offset, file.slice(offset, Math.min(until, offset + CHUNK)));
  return offset;
}

/**
 * Upload: one file over tus in 16 MiB chunks (MB/s, completion and
 * SHA-256 included), and the time an upload takes to resume once the
 * connection returns after being cut at 50%: asking where to go on (HEAD)
 * and getting the next 1 MiB acknowledged.
 */
export async function measureUpload(server: DevServer, size: number, runs: number) {
  const file = pdf(size);
  const measured = await repeat(runs, () => uploadOnce(server, file));
  const resume = spread(measured.map((m) => m.resumeMs));
  return {
    size_mib: size / MiB,
    chunk_mib: CHUNK / MiB,
    runs,
    seconds: spread(
      measured.map((m) => m.seconds),
      2,
    ),
    mb_per_s: spread(measured.map((m) => size / 1e6 / m.seconds)),
    resume_ms: resume,
    resume_target_ms: RESUME_TARGET_MS,
    resume_ok: resume.median <= RESUME_TARGET_MS,
  };
}

async function uploadOnce(server: DevServer, file: Uint8Array) {
  const size = file.length;
  const url = await create(server, size);
  const started = performance.now();
  await sendFrom(url, file, 0);
  const seconds = (performance.now() - started) / 1000;

  const again = await create(server, size);
  const half = Math.floor(size / 2);
  await sendFrom(again, file, 0, half);
  const cut = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(file.slice(half, half + 3 * MiB));
      setTimeout(() => controller.error(new Error("connection cut")), 50);
    },
  });
  await patch(again, half, cut).catch(() => undefined);
  const reconnected = performance.now();
  const offset = await resume(again, file, MiB);
  const resumeMs = performance.now() - reconnected;
  await sendFrom(again, file, offset);

  return { seconds, resumeMs };
}
