import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex, sha256HexSync } from "../../src/core/hash";

const nodeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("sha256HexSync", () => {
  it("matches the FIPS 180-4 examples and block-boundary lengths", () => {
    expect(sha256HexSync("")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256HexSync("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    // Padding edge cases: 55, 56, 63, 64 and 65 bytes, and multi-block inputs.
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = "x".repeat(n);
      expect(sha256HexSync(text), `length ${n}`).toBe(nodeSha256(text));
    }
  });

  it("equals node:crypto and crypto.subtle on any string, including non-ASCII", async () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        return sha256HexSync(text) === nodeSha256(text);
      }),
    );
    expect(sha256HexSync("salt:2026-11-23:203.0.113.9")).toBe(
      await sha256Hex("salt:2026-11-23:203.0.113.9"),
    );
  });
});
