import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/domain/encoding.ts";
import {
  canonicalJson,
  chain,
  GENESIS_HASH,
  hashEvent,
  type LoggedEvent,
  verifyChain,
} from "../../worker/domain/event-log.ts";

async function log(length: number): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const body = {
      seq,
      at: `2026-01-0${seq}T00:00:00.000Z`,
      actor: "a",
      action: "advance",
      from: "x",
      to: "y",
      comment: null,
      to_submitter: false,
      data: null,
    };
    events.push(await chain(body, events.at(-1)?.hash ?? GENESIS_HASH));
  }
  return events;
}

describe("the event log's hash chain", () => {
  it("serialises canonically: sorted keys, no whitespace, non-ASCII kept", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "ß"], c: { z: "x", y: "й" } })).toBe(
      '{"a":[true,null,"ß"],"b":1,"c":{"y":"й","z":"x"}}',
    );
  });

  it("hashes prev_hash + canonical JSON of the event without its hash, and without data when it has none", async () => {
    // Logs written before events carried data must still verify: a null `data` is not in the hash.
    const [first] = await log(1);
    expect(first?.prev_hash).toBe(GENESIS_HASH);
    const { hash, data: _none, ...rest } = first as LoggedEvent;
    expect(hash).toBe(await sha256Hex(GENESIS_HASH + canonicalJson(rest)));
  });

  it("puts an event's data in its hash", async () => {
    const body = { ...((await log(1))[0] as LoggedEvent), data: { files: [{ id: "f", sha256: "a".repeat(64) }] } };
    const { hash: _h, prev_hash: _p, ...plain } = body;
    const withData = await chain(plain, GENESIS_HASH);
    const { hash, ...rest } = withData;
    expect(hash).toBe(await sha256Hex(GENESIS_HASH + canonicalJson(rest)));
    const altered = { ...withData, data: { files: [{ id: "f", sha256: "b".repeat(64) }] } };
    expect(await verifyChain([altered])).toBe(1);
    expect(await verifyChain([{ ...withData, data: null }])).toBe(1);
  });

  it("verifies an intact chain", async () => {
    expect(await verifyChain(await log(5))).toBeNull();
  });

  it("finds an edited event, a dropped event and a forged rehash", async () => {
    const edited = await log(5);
    (edited[2] as LoggedEvent).comment = "changed later";
    expect(await verifyChain(edited)).toBe(3);

    const dropped = await log(5);
    dropped.splice(1, 1);
    expect(await verifyChain(dropped)).toBe(3);

    const forged = await log(5);
    const third = forged[2] as LoggedEvent;
    third.actor = "someone else";
    const { hash: _old, ...rest } = third;
    third.hash = await hashEvent(rest);
    expect(await verifyChain(forged)).toBe(4);
  });
});
