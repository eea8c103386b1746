import { describe, expect, it } from "vitest";
import { ByteQueue } from "../../worker/files/byte-queue.ts";

describe("ByteQueue", () => {
  it("gives bytes back in order across chunk boundaries, with peek leaving them in place", () => {
    const q = new ByteQueue();
    q.push(new Uint8Array([1, 2, 3]));
    q.push(new Uint8Array([]));
    q.push(new Uint8Array([4, 5]));
    q.push(new Uint8Array([6, 7, 8, 9]));
    expect(q.length).toBe(9);
    expect([...q.peek(4)]).toEqual([1, 2, 3, 4]);
    expect(q.length).toBe(9);
    expect([...q.take(5)]).toEqual([1, 2, 3, 4, 5]);
    expect([...q.take(100)]).toEqual([6, 7, 8, 9]);
    expect(q.length).toBe(0);
    expect([...q.take(3)]).toEqual([]);
  });
});
