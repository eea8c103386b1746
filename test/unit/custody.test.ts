import { describe, expect, it } from "vitest";
import {
  checkContent,
  checkFiles,
  checkLog,
  contentSha256,
  firstEvent,
  fixedByLog,
  sealedSha256,
} from "../../worker/domain/custody.ts";
import { chain, type LoggedEvent } from "../../worker/domain/event-log.ts";

const record = { target: { name: "Colonel X" } };
const sealed = { contact_email: "a@example.org", salt: "c2FsdA" };

async function log(): Promise<LoggedEvent[]> {
  const sealedHash = await sealedSha256(sealed);
  const genesis = {
    content_sha256: await contentSha256(record, sealedHash),
    sealed_sha256: sealedHash,
    files: [{ id: "f1", sha256: "1".repeat(64) }],
  };
  const first = await firstEvent("2026-11-30T10:00:00.000Z", genesis);
  const body = (seq: number, data: LoggedEvent["data"]) => ({
    seq,
    at: "2026-11-30T11:00:00.000Z",
    actor: "submitter",
    action: "add_evidence",
    from: "triage",
    to: "triage",
    comment: "late",
    to_submitter: true,
    data,
  });
  const second = await chain(body(2, { files: [{ id: "f2", sha256: "2".repeat(64) }] }), first.hash);
  const third = await chain(body(3, null), second.hash);
  return [first, second, third];
}

describe("chain of custody", () => {
  it("reads what the log fixed: the content hashes and every file any event added", async () => {
    const fixed = fixedByLog(await log());
    expect(fixed.sealed_sha256).toBe(await sealedSha256(sealed));
    expect([...fixed.files]).toEqual([
      ["f1", "1".repeat(64)],
      ["f2", "2".repeat(64)],
    ]);
  });

  it("lets a later event (a correction) replace the content hash", async () => {
    const events = await log();
    const last = events.at(-1) as LoggedEvent;
    const correction = await chain(
      { ...last, seq: 4, action: "correct", data: { content_sha256: "9".repeat(64) } },
      last.hash,
    );
    expect(fixedByLog([...events, correction]).content_sha256).toBe("9".repeat(64));
  });

  it("recomputes the content from the part in clear and the sealed part, and tells which changed", async () => {
    const fixed = fixedByLog(await log());
    expect(await checkContent(fixed, record, await sealedSha256(sealed))).toEqual([]);
    const edited = await checkContent(fixed, { target: { name: "Someone" } }, await sealedSha256(sealed));
    expect(edited.map((p) => p.message)).toEqual(["the stored submission no longer hashes to its content_sha256"]);
    const resealed = await checkContent(fixed, record, await sealedSha256({ ...sealed, contact_email: "b@x.org" }));
    expect(resealed.map((p) => p.message)).toEqual([
      "the sealed fields (contact, safety notes) changed since they were fixed",
    ]);
  });

  it("keeps a guessed contact from matching without the sealed salt", async () => {
    const guess = await contentSha256(record, await sealedSha256({ contact_email: "a@example.org" }));
    expect(guess).not.toBe(fixedByLog(await log()).content_sha256);
  });

  it("catches an empty log, a cut log and a rewritten one against the recorded head", async () => {
    const events = await log();
    const head = { seq: 3, hash: (events[2] as LoggedEvent).hash };
    expect(await checkLog(events, head)).toEqual([]);
    expect(await checkLog([], head)).toEqual([{ check: "chain", message: "the log is empty" }]);
    expect((await checkLog(events.slice(0, 2), head)).map((p) => p.check)).toEqual(["head"]);
    expect((await checkLog(events, { ...head, hash: "f".repeat(64) })).map((p) => p.check)).toEqual(["head"]);
  });

  it("finds a missing file, a file with another hash, and a file the log never added", async () => {
    const fixed = fixedByLog(await log());
    expect(
      checkFiles(fixed, [
        { id: "f1", sha256: "1".repeat(64) },
        { id: "f2", sha256: "2".repeat(64) },
      ]),
    ).toEqual([]);
    const problems = checkFiles(fixed, [
      { id: "f2", sha256: "0".repeat(64) },
      { id: "f3", sha256: "3".repeat(64) },
    ]);
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      ["f1", "file f1 is missing"],
      ["f2", "file f2 has another hash"],
      ["f3", "file f3 is not in the log"],
    ]);
  });
});
