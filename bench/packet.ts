import type { DevServer } from "../scripts/lib/dev-server.ts";
import { addStaff, createToken } from "../scripts/lib/local-accounts.ts";
import { sampleRecommendation } from "../test/helpers/sample.ts";
import { memorySampler, runtimePids } from "./export.ts";
import { round } from "./stats.ts";
import { create, pdf, sendFrom } from "./upload.ts";

export const PACKET_MEMORY_TARGET_MB = 64;
const MiB = 1024 * 1024;

/**
 * Packet: `packet.zip?variant=original` of a recommendation with `files`
 * evidence files of `size` bytes each, read to the end: seconds, and the
 * runtime's peak memory (RssAnon, sampled every 20 ms) beside its memory at
 * rest just before. The ZIP is streamed, so memory should not grow with it.
 */
export async function measurePacket(server: DevServer, files: number, size: number) {
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
  const owner = addStaff(server.stateDir, "coordinator", "bench-packet");
  const token = createToken(server.stateDir, owner.email, ["export", "originals"], "bench-packet");

  const pids = runtimePids(server.process.pid as number);
  await new Promise((r) => setTimeout(r, 500));
  const sampler = memorySampler(pids);
  const { idle } = sampler;
  const started = performance.now();
  const res = await fetch(`${server.baseUrl}/api/v1/recommendations/${id}/packet.zip?variant=original`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`packet: ${res.status}`);
  let bytes = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();
  if (bytes < files * size) throw new Error(`the packet has ${bytes} bytes, less than its files`);
  return {
    files,
    total_mib: round((files * size) / MiB),
    zip_mib: round(bytes / MiB),
    seconds: round(seconds, 2),
    mb_per_s: round(bytes / 1e6 / seconds),
    idle_mb: round(idle.anon),
    peak_mb: round(peak.anon),
    growth_mb: round(peak.anon - idle.anon),
    target_growth_mb: PACKET_MEMORY_TARGET_MB,
    ok: peak.anon - idle.anon <= PACKET_MEMORY_TARGET_MB,
  };
}
