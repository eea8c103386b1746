import type { DevServer } from "../scripts/lib/dev-server.ts";
import { sampleRecommendation } from "../test/helpers/sample.ts";
import type { Access } from "./access.ts";
import { appOn, memoryOf, type Runtime, stopped, workerHeap } from "./memory.ts";
import { repeat, round, spread } from "./stats.ts";
import { create, pdf, sendFrom } from "./upload.ts";

export const PACKET_MEMORY_TARGET_MB = 64;
const MiB = 1024 * 1024;

/**
 * Packet: `packet.zip?variant=original` of a recommendation with `files`
 * evidence files of `size` bytes each (uploaded through `server`), read to
 * the end, `runs` times, each in a runtime started for it on the same state:
 * seconds, and the runtime's peak memory beside its memory at rest. The ZIP
 * is streamed, so memory should not grow with it.
 */
export async function measurePacket(
  server: DevServer,
  access: Access,
  env: Record<string, string>,
  files: number,
  size: number,
  runs: number,
  withControl: boolean,
) {
  const attachments: string[] = [];
  for (let i = 0; i < files; i++) {
    const url = await create(server, size);
    const file = pdf(size);
    file.set(new TextEncoder().encode(`file ${i}`), 16);
    await sendFrom(url, file, 0);
    attachments.push(url.split("/").pop() as string);
  }
  const submitted = await fetch(`${server.baseUrl}/api/v1/recommendations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "bench-packet" },
    body: JSON.stringify({ ...sampleRecommendation({ targetName: "Packet benchmark" }), attachments }),
  });
  if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${await submitted.text()}`);
  const { id } = (await submitted.json()) as { id: string };
  const headers = { Authorization: `Bearer ${access.token}` };
  await stopped(server);

  // Each run in a runtime of its own, after the recommendation's page (the Worker loaded).
  const inFreshRuntimes = <T>(work: (fresh: Runtime) => Promise<T>) =>
    repeat(runs, () =>
      memoryOf(
        appOn(server.stateDir, env),
        async (fresh) => {
          await (await fetch(`${fresh.baseUrl}/api/v1/recommendations/${id}`, { headers })).arrayBuffer();
        },
        work,
      ),
    );
  const measured = await inFreshRuntimes(async (fresh) => {
    const started = performance.now();
    const res = await fetch(`${fresh.baseUrl}/api/v1/recommendations/${id}/packet.zip?variant=original`, { headers });
    if (res.status !== 200) throw new Error(`packet: ${res.status}`);
    const bytes = await bytesRead(res);
    if (bytes < files * size) throw new Error(`the packet has ${bytes} bytes, less than its files`);
    return { bytes, seconds: (performance.now() - started) / 1000 };
  });
  // The control: the same files downloaded one after another, decrypted and checked as they
  // stream, no ZIP. When it grows as the packet does, what grows is the runtime streaming
  // stored files, not the packet holding them.
  const control = !withControl
    ? null
    : await inFreshRuntimes(async (fresh) => {
        for (const aid of attachments) {
          const res = await fetch(`${fresh.baseUrl}/api/v1/recommendations/${id}/attachments/${aid}?variant=original`, {
            headers,
          });
          if (res.status !== 200) throw new Error(`file: ${res.status}`);
          await bytesRead(res);
        }
      });
  const growth = spread(measured.map((m) => m.growth_mb));
  return {
    files_one_by_one_growth_mb: control ? spread(control.map((m) => m.growth_mb)) : null,
    files,
    total_mib: round((files * size) / MiB),
    zip_mib: round((measured[0]?.result.bytes ?? 0) / MiB),
    runs,
    seconds: spread(
      measured.map((m) => m.result.seconds),
      2,
    ),
    mb_per_s: spread(measured.map((m) => m.result.bytes / 1e6 / m.result.seconds)),
    idle_mb: spread(measured.map((m) => m.idle_mb)),
    peak_mb: spread(measured.map((m) => m.peak_mb)),
    growth_mb: growth,
    target_growth_mb: PACKET_MEMORY_TARGET_MB,
    ok: growth.median <= PACKET_MEMORY_TARGET_MB,
    worker_heap: workerHeap(measured, PACKET_MEMORY_TARGET_MB),
  };
}

/** Reads a response to its end, a chunk at a time (never the whole body at once), and counts its bytes. */
async function bytesRead(res: Response): Promise<number> {
  let bytes = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}
