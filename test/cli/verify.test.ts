import { spawnSync } from "node:child_process";
import { createHash, webcrypto } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeZip } from "client-zip";
import { afterAll, describe, expect, it } from "vitest";
import { OFFLINE_ENV, ROOT } from "../../scripts/lib/wrangler.ts";
import { contentSha256, firstEvent, sealedSha256 } from "../../worker/domain/custody.ts";
import { toBase64Url } from "../../worker/domain/encoding.ts";
import { chain, type LoggedEvent } from "../../worker/domain/event-log.ts";
import { evidencePath, type PacketManifest } from "../../worker/domain/packet.ts";

/**
 * `npm run verify` as a government's lawyer would run it, on packets made
 * here to the format the Worker writes (a second, independent producer),
 * signed with a key of this test's own, then tampered with in each way.
 */
const dir = mkdtempSync(join(tmpdir(), "dossier-verify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function newKey() {
  const pair = (await webcrypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  const { x } = (await webcrypto.subtle.exportKey("jwk", pair.publicKey)) as { x: string };
  return { privateKey: pair.privateKey, jwk: { kty: "OKP", crv: "Ed25519", x, kid: sha256(x).slice(0, 8) } };
}
const coalition = await newKey();
const forger = await newKey();
const keyFile = join(dir, "coalition-key.json");
writeFileSync(keyFile, json({ keys: [coalition.jwk] }));

const evidence = new TextEncoder().encode("%PDF-1.7 a witness statement\n%%EOF\n");
const record = { target: { kind: "person", name: "Colonel X" }, conduct: { summary: "…" } };
const sealed = { contact_email: "someone@example.org", salt: "c2FsdHNhbHRzYWx0" };

interface Parts {
  record: unknown;
  events: LoggedEvent[];
  files: Record<string, Uint8Array>;
}

async function honestParts(): Promise<Parts> {
  const sealedHash = await sealedSha256(sealed);
  const first = await firstEvent("2026-11-30T10:00:00.000Z", {
    content_sha256: await contentSha256(record, sealedHash),
    sealed_sha256: sealedHash,
    files: [{ id: "file-1", sha256: sha256(evidence) }],
  });
  const second = await chain(
    {
      seq: 2,
      at: "2026-11-30T11:00:00.000Z",
      actor: "coordinator@example.org",
      action: "advance",
      from: "received",
      to: "triage",
      comment: null,
      to_submitter: false,
      data: null,
    },
    first.hash,
  );
  return { record, events: [first, second], files: { [evidencePath(1, "statement.pdf")]: evidence } };
}

/** Writes a packet: its parts, a manifest of them signed by `key`, and `after` to tamper once it is signed. */
async function writePacket(
  name: string,
  parts: Parts,
  key = coalition,
  after?: (e: Map<string, Uint8Array>) => void,
  programme?: string,
) {
  const encoder = new TextEncoder();
  // A packet for a government carries the submission document instead of the record and the log.
  const entries = new Map<string, Uint8Array>([
    ...(programme
      ? ([["submission.docx", encoder.encode("a Word document")]] as const)
      : ([
          [
            "recommendation.json",
            encoder.encode(json({ id: "rec-1", reference: "REC-2026-00001", record: parts.record })),
          ],
          ["events.json", encoder.encode(json(parts.events))],
        ] as const)),
    ...Object.entries(parts.files),
  ]);
  const head = parts.events.at(-1) as LoggedEvent;
  const fixed = parts.events[0]?.data?.content_sha256 ?? null;
  const manifest: PacketManifest = {
    format: "dossier-packet/1",
    recommendation: { id: "rec-1", reference: "REC-2026-00001" },
    head: { seq: head.seq, hash: head.hash },
    content_sha256: fixed,
    files: [...entries].map(([path, bytes]) => ({
      path,
      sha256: sha256(bytes),
      size: bytes.length,
      ...(path.startsWith("files/") ? { file: { id: "file-1", copy: "original" as const } } : {}),
    })),
    withheld: [],
    generated_at: "2026-11-30T12:00:00.000Z",
    kid: key.jwk.kid,
    ...(programme ? { programme } : {}),
  };
  const manifestBytes = encoder.encode(json(manifest));
  const signature = new Uint8Array(await webcrypto.subtle.sign("Ed25519", key.privateKey, manifestBytes));
  entries.set("manifest.json", manifestBytes);
  entries.set("manifest.sig", encoder.encode(`${toBase64Url(signature)}\n`));
  entries.set("signing-key.json", encoder.encode(json(key.jwk)));
  after?.(entries);
  const zip = makeZip([...entries].map(([path, bytes]) => ({ name: path, input: bytes })));
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(await new Response(zip).arrayBuffer()));
  return file;
}

function verify(file: string, key: string | null = keyFile) {
  const result = spawnSync("node", ["scripts/verify.ts", file, ...(key ? ["--key", key] : [])], {
    cwd: ROOT,
    env: OFFLINE_ENV,
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("npm run verify", () => {
  it("passes an intact packet signed by the coalition's key, saying what it checked", async () => {
    const { status, output } = verify(await writePacket("good.zip", await honestParts()));
    expect(status, output).toBe(0);
    expect(output).toContain(`checked: signature of manifest.json by key ${coalition.jwk.kid}`);
    expect(output).toContain("checked: event log of 2 events up to its head");
    expect(output).toContain("checked: content of recommendation.json against content_sha256");
    expect(output).toContain("VERIFIED");
  });

  it("passes a packet for a government (the document and the shared files), and fails it altered", async () => {
    const good = verify(await writePacket("gov.zip", await honestParts(), coalition, undefined, "us_glomag"));
    expect(good.status, good.output).toBe(0);
    expect(good.output).toContain(
      "checked: a packet for us_glomag: the record and the event log stay with the coalition",
    );
    expect(good.output).toContain("VERIFIED: the signature and every file hold.");
    const altered = await writePacket(
      "gov-altered.zip",
      await honestParts(),
      coalition,
      (e) => e.set("submission.docx", new TextEncoder().encode("another document")),
      "us_glomag",
    );
    const bad = verify(altered);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain("FAILED: submission.docx is not the file the manifest lists");
  });

  it("uses the key in the packet when given none, and says what that does not prove", async () => {
    const { status, output } = verify(await writePacket("no-key.zip", await honestParts()), null);
    expect(status, output).toBe(0);
    expect(output).toContain("proves the packet is intact, not who made it");
  });

  it("fails a file changed after signing", async () => {
    const file = await writePacket("file.zip", await honestParts(), coalition, (e) => {
      e.set(evidencePath(1, "statement.pdf"), new TextEncoder().encode("%PDF-1.7 another statement\n"));
    });
    const { status, output } = verify(file);
    expect(status).toBe(1);
    expect(output).toContain("FAILED: files/01-statement.pdf is not the file the manifest lists");
  });

  it("fails a manifest changed after signing", async () => {
    const file = await writePacket("manifest.zip", await honestParts(), coalition, (e) => {
      const text = new TextDecoder().decode(e.get("manifest.json")).replace("2026-11-30T12", "2026-11-29T12");
      e.set("manifest.json", new TextEncoder().encode(text));
    });
    const { status, output } = verify(file);
    expect(status).toBe(1);
    expect(output).toContain("signature of manifest.json does not hold");
  });

  it("fails a packet signed by a key the coalition never published", async () => {
    const { status, output } = verify(await writePacket("forged.zip", await honestParts(), forger));
    expect(status).toBe(1);
    expect(output).toContain(`no trusted key has the id ${forger.jwk.kid}`);
  });

  it("fails a log cut short, or rewritten, even when the manifest was signed after", async () => {
    const parts = await honestParts();
    const cut = verify(await writePacket("cut.zip", { ...parts, events: parts.events.slice(0, 1) }));
    expect(cut.status).toBe(0); // A packet made before the second event: a shorter head is still a whole log.
    const second = parts.events[1] as LoggedEvent;
    const edited = { ...parts, events: [parts.events[0] as LoggedEvent, { ...second, actor: "someone else" }] };
    const rewritten = verify(await writePacket("rewritten.zip", edited));
    expect(rewritten.status).toBe(1);
    expect(rewritten.output).toContain("event log: event 2 does not fit the chain before it");
    const dropped = await writePacket("dropped.zip", parts, coalition, (e) => {
      e.set("events.json", new TextEncoder().encode(json(parts.events.slice(0, 1))));
    });
    expect(verify(dropped).output).toContain("events.json is not the file the manifest lists");
  });

  it("fails a record whose content no longer hashes to what the log fixed", async () => {
    const edited = { ...(await honestParts()), record: { ...record, target: { kind: "person", name: "Someone" } } };
    const { status, output } = verify(await writePacket("content.zip", edited));
    expect(status).toBe(1);
    expect(output).toContain("recommendation.json no longer hashes to the content_sha256 the log fixed");
  });

  it("fails evidence the log never fixed, and a file that is not a ZIP", async () => {
    const parts = await honestParts();
    parts.files[evidencePath(1, "statement.pdf")] = new TextEncoder().encode("%PDF-1.7 planted\n");
    const planted = verify(await writePacket("planted.zip", parts));
    expect(planted.status).toBe(1);
    expect(planted.output).toContain("files/01-statement.pdf is not the original the event log fixed");
    const junk = join(dir, "junk.zip");
    writeFileSync(junk, "not a zip");
    const unreadable = verify(junk);
    expect(unreadable.status).toBe(1);
    expect(unreadable.output).toContain("cannot be read as a ZIP");
  });
});
