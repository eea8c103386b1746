import { describe, expect, it } from "vitest";
import { newReceipt, normalizeReceipt } from "../../worker/domain/receipt.ts";
import { importDataKey, open, seal } from "../../worker/security/crypto.ts";
import { hashPassword, verifyPassword } from "../../worker/security/password.ts";

const KEY = btoa("0123456789abcdef0123456789abcdef");

describe("encryption at rest", () => {
  it("round-trips text and never stores it in clear", async () => {
    const key = await importDataKey(KEY);
    const sealed = await seal(key, "olena@example.org", "recommendation:a");
    expect(sealed).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain("olena");
    expect(await open(key, sealed, "recommendation:a")).toBe("olena@example.org");
  });

  it("binds a sealed value to its row: copied into another row, it does not open", async () => {
    const key = await importDataKey(KEY);
    const sealed = await seal(key, "olena@example.org", "recommendation:a");
    await expect(open(key, sealed, "recommendation:b")).rejects.toThrow();
  });

  it("still opens values sealed before they were bound to a row", async () => {
    const key = await importDataKey(KEY);
    const iv = new Uint8Array(12).fill(7);
    const cipher = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(key.id) },
      key.key,
      new TextEncoder().encode("from before"),
    );
    const b64 = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    const legacy = `v1.${key.id}.${b64(iv)}.${b64(new Uint8Array(cipher))}`;
    expect(await open(key, legacy, "recommendation:any")).toBe("from before");
  });

  it("refuses a tampered ciphertext and a different key", async () => {
    const key = await importDataKey(KEY);
    const sealed = await seal(key, "secret", "staff:s");
    const at = sealed.length - 10;
    const flipped = sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1);
    await expect(open(key, flipped, "staff:s")).rejects.toThrow();
    const other = await importDataKey(btoa("fedcba9876543210fedcba9876543210"));
    await expect(open(other, sealed, "staff:s")).rejects.toThrow(/not loaded/);
  });

  it("opens values sealed with a retired key when it is still in the ring, and seals new ones with the current key", async () => {
    const retired = await importDataKey(KEY);
    const current = await importDataKey(btoa("fedcba9876543210fedcba9876543210"));
    const old = await seal(retired, "sealed last year", "x");
    expect(await open([current, retired], old, "x")).toBe("sealed last year");
    await expect(open([current], old, "x")).rejects.toThrow(/not loaded/);
    expect((await seal(current, "new", "x")).split(".")[1]).toBe(current.id);
  });

  it("refuses a key that is not 32 bytes", async () => {
    await expect(importDataKey(btoa("short"))).rejects.toThrow(/32 bytes/);
  });
});

describe("passwords", () => {
  it("verify only the right password, at 100,000 PBKDF2 iterations", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await hashPassword("correct horse battery")).not.toBe(stored);
  });
});

describe("receipt codes", () => {
  it("carry 100 bits in five groups of four", () => {
    const codes = new Set(Array.from({ length: 1000 }, newReceipt));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it("forgive case, spaces and look-alike letters when typed back", () => {
    expect(normalizeReceipt(" ab1o-ilzz 9x7q-mmmm-0000 ")).toBe("AB10-11ZZ-9X7Q-MMMM-0000");
  });
});
