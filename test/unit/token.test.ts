import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../docs/token-vectors.json";
import { CROCKFORD, normalizeBase32 } from "../../src/core/base32";
import {
  displayPosterCode,
  parseKeyring,
  signPosterCode,
  signToken,
  TOKEN_LENGTH,
  verifyPosterCode,
  verifyToken,
} from "../../src/core/token";

const NOW = 1_800_000_000;
const ring = await parseKeyring("K1:unit-test-key-number-one,K2:unit-test-key-number-two");
const otherRing = await parseKeyring("K2:a-completely-different-key");
const idArb = fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 20, maxLength: 20 });
const posterIdArb = fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 6, maxLength: 6 });

/** Every string that differs from `s` in exactly one position, by a character of the alphabet. */
function oneCharChanges(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const ch of CROCKFORD) if (ch !== s[i]) out.push(s.slice(0, i) + ch + s.slice(i + 1));
  }
  return out;
}

describe("keyring", () => {
  it("the last key signs, all verify", async () => {
    expect(ring.current).toBe("K2");
    const old = await parseKeyring("K1:unit-test-key-number-one");
    const { token } = await signToken(old, "h", { expiresAt: NOW + 60 });
    expect(await verifyToken(ring, "h", token, NOW)).toMatchObject({ ok: true, kid: "K1" });
  });

  it("rejects bad key ids, short secrets and duplicates with a clear message", async () => {
    await expect(parseKeyring("")).rejects.toThrow(/empty/);
    await expect(parseKeyring("KEY1:0123456789abcdef0")).rejects.toThrow(/2 base32/);
    await expect(parseKeyring("K1:short")).rejects.toThrow(/16 characters/);
    await expect(parseKeyring("K1:0123456789abcdef0,k1:0123456789abcdefX")).rejects.toThrow(
      /twice/,
    );
  });
});

describe("handoff tokens", () => {
  it("round-trips and is uppercase Crockford of fixed length", async () => {
    const { token, id } = await signToken(ring, "h", { expiresAt: NOW + 120 });
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    expect(await verifyToken(ring, "h", token, NOW)).toEqual({
      ok: true,
      id,
      expiresAt: NOW + 120,
      kid: "K2",
    });
  });

  it("accepts lowercase and dashed input", async () => {
    const { token, id } = await signToken(ring, "h", { expiresAt: NOW + 120 });
    const messy = `${token.slice(0, 10).toLowerCase()}-${token.slice(10)}`;
    expect(await verifyToken(ring, "h", messy, NOW)).toMatchObject({ ok: true, id });
  });

  it("rejects every single-character change", async () => {
    const { token } = await signToken(ring, "h", { expiresAt: NOW + 120 });
    const changes = oneCharChanges(token);
    expect(changes.length).toBe(TOKEN_LENGTH * 31);
    for (const changed of changes) {
      const check = await verifyToken(ring, "h", changed, NOW);
      expect(check.ok, changed).toBe(false);
    }
  });

  it("says expired only of an authentic token", async () => {
    const { token, id } = await signToken(ring, "h", { expiresAt: NOW });
    expect(await verifyToken(ring, "h", token, NOW)).toEqual({
      ok: false,
      reason: "expired",
      id,
      expiresAt: NOW,
      kid: "K2",
    });
    expect(await verifyToken(ring, "h", token, NOW - 1)).toMatchObject({ ok: true });
  });

  it("rejects unknown key ids, other keys, other tags and bad shapes", async () => {
    const { token } = await signToken(ring, "h", { expiresAt: NOW + 60 });
    const unknownKid = `${token.slice(0, 27)}ZZ${token.slice(29)}`;
    expect(await verifyToken(ring, "h", unknownKid, NOW)).toEqual({
      ok: false,
      reason: "unknown_key",
    });
    expect(await verifyToken(otherRing, "h", token, NOW)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await verifyToken(ring, "s", token, NOW)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    for (const bad of [
      "",
      "ABC",
      `${token}0`,
      `${token.slice(0, -1)}U`,
      `${token.slice(0, -1)}!`,
    ]) {
      expect(await verifyToken(ring, "h", bad, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("property: any id and expiry round-trip; any other token string is rejected", async () => {
    await fc.assert(
      fc.asyncProperty(idArb, fc.integer({ min: NOW + 1, max: 2 ** 34 }), async (id, exp) => {
        const { token } = await signToken(ring, "h", { id, expiresAt: exp });
        const check = await verifyToken(ring, "h", token.toLowerCase(), NOW);
        return check.ok && check.id === id && check.expiresAt === exp;
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 42, maxLength: 42 }),
        async (s) => {
          const check = await verifyToken(ring, "h", s, NOW);
          return !check.ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("poster codes", () => {
  it("round-trips in any case, with or without the dash, across key rotation", async () => {
    const { code, id, display } = await signPosterCode(ring);
    expect(code).toHaveLength(10);
    expect(display).toBe(`${code.slice(0, 5)}-${code.slice(5)}`);
    expect(displayPosterCode(code)).toBe(display);
    expect(await verifyPosterCode(ring, display.toLowerCase())).toEqual({ ok: true, id });
    const rotated = await parseKeyring("K2:unit-test-key-number-two,K3:a-newer-key-for-rotation");
    expect(await verifyPosterCode(rotated, code)).toEqual({ ok: true, id });
  });

  it("rejects every single-character change and codes of another key", async () => {
    const { code } = await signPosterCode(ring, "7K2M9Q");
    for (const changed of oneCharChanges(code)) {
      expect((await verifyPosterCode(ring, changed)).ok, changed).toBe(false);
    }
    expect(await verifyPosterCode(otherRing, code)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verifyPosterCode(ring, "7K2M9")).toEqual({ ok: false, reason: "malformed" });
  });

  it("property: any poster id round-trips", async () => {
    await fc.assert(
      fc.asyncProperty(posterIdArb, async (id) => {
        const { code } = await signPosterCode(ring, id);
        const check = await verifyPosterCode(ring, code.toLowerCase());
        return check.ok && check.id === id;
      }),
      { numRuns: 200 },
    );
  });
});

describe("published test vectors (docs/token-vectors.json)", () => {
  it("are reproduced exactly", async () => {
    const vring = await parseKeyring(vectors.keys);
    for (const v of vectors.handoff) {
      const single = await parseKeyring(vectors.keys.split(",").find((k) => k.startsWith(v.kid))!);
      expect((await signToken(single, "h", { id: v.id, expiresAt: v.expires_at })).token).toBe(
        v.token,
      );
      const check = await verifyToken(vring, "h", v.token, v.expires_at - 1);
      expect(check).toEqual({ ok: true, id: v.id, expiresAt: v.expires_at, kid: v.kid });
    }
    for (const v of vectors.session) {
      expect((await signToken(vring, "s", { id: v.id, expiresAt: v.expires_at })).token).toBe(
        v.token,
      );
    }
    for (const v of vectors.handoff_events) {
      expect((await signToken(vring, "e", { id: v.id, expiresAt: v.expires_at })).token).toBe(
        v.token,
      );
      const check = await verifyToken(vring, "e", v.token, v.expires_at - 1);
      expect(check).toEqual({ ok: true, id: v.id, expiresAt: v.expires_at, kid: v.kid });
    }
    for (const v of vectors.poster) {
      const single = await parseKeyring(vectors.keys.split(",").find((k) => k.startsWith(v.kid))!);
      expect(await signPosterCode(single, v.id)).toEqual({
        code: v.code,
        id: v.id,
        display: v.display,
      });
      expect(await verifyPosterCode(vring, v.display)).toEqual({ ok: true, id: v.id });
    }
  });
});

describe("base32 normalisation", () => {
  it("maps ambiguous letters and refuses others", () => {
    expect(normalizeBase32("o1l-i")).toBe("0111");
    expect(normalizeBase32("u")).toBeNull();
    expect(normalizeBase32("é")).toBeNull();
  });
});
