/**
 * Bytes arriving in small chunks, taken out in large pieces: each byte is
 * copied once when taken, not on every arrival (which would make filling a
 * 5 MiB part quadratic in the number of chunks).
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (or all there are), removed from the queue. */
  take(n: number): Uint8Array {
    const size = Math.min(n, this.length);
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const chunk = this.chunks[0] as Uint8Array;
      const part = Math.min(chunk.length, size - at);
      out.set(chunk.subarray(0, part), at);
      at += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    this.length -= size;
    return out;
  }

  /** The first `n` bytes, left in the queue. */
  peek(n: number): Uint8Array {
    const head = this.take(n);
    this.chunks.unshift(head);
    this.length += head.length;
    return head;
  }
}
