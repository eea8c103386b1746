/**
 * The Worker's own memory: its V8 heap, read through the debugger wrangler dev
 * serves for it. Locally the runtime's processes also hold the simulated D1,
 * R2 and Durable Object storage; the heap is what the Worker itself holds, and
 * what a deployed Worker's memory limit counts.
 */

const MB = 1024 * 1024;
// Each reading is a message through wrangler's debugger proxy, which runs in the runtime and
// costs it memory too: read every 20 ms, it added ~20 MB to the runtime's figure over a
// 100,000-row export. A heap grows between collections by far less in this interval.
const SAMPLE_MS = 200;

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/** One debugger session: `call` sends a method and resolves with its result. */
async function debuggerSession(port: number) {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no Worker to debug on port ${port}`);
  // The debugger takes connections from a local page only. Node's WebSocket takes headers (not the DOM's type).
  const Socket = WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket;
  const socket = new Socket(target.webSocketDebuggerUrl, { headers: { Origin: "http://localhost" } });
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", () => reject(new Error(`the Worker's debugger on port ${port} refused`)), {
      once: true,
    });
  });
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id === undefined) return; // an event, not an answer
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  let next = 0;
  return {
    call<T>(method: string): Promise<T> {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.set(id, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method }));
      });
    },
    close: () => socket.close(),
  };
}

/**
 * Samples the Worker's heap every SAMPLE_MS from now (`idle` is now). The heap's
 * used size counts garbage not yet collected, so the growth is if anything too
 * high. (workerd's debugger does not answer a request to collect it.)
 */
export async function heapSampler(port: number) {
  const session = await debuggerSession(port);
  const idle = await session.call<HeapUsage>("Runtime.getHeapUsage");
  const peak = { ...idle };
  let sampling = true;
  const sampled = (async () => {
    while (sampling) {
      const now = await session.call<HeapUsage>("Runtime.getHeapUsage");
      peak.usedSize = Math.max(peak.usedSize, now.usedSize);
      peak.totalSize = Math.max(peak.totalSize, now.totalSize);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await sampled;
      session.close();
      return {
        idle_mb: idle.usedSize / MB,
        peak_mb: peak.usedSize / MB,
        growth_mb: (peak.usedSize - idle.usedSize) / MB,
        reserved_growth_mb: (peak.totalSize - idle.totalSize) / MB,
      };
    },
  };
}
