// When a key ends: the boundary of expires_at (works until it − 1 ms), and the ends a roll sets
// for the old key and its successor.
import { describe, expect, it } from "vitest";
import { keyExpired, rollExpiries } from "../../src/core/key-expiry";
import { describeIssues } from "../../src/routes/errors";

describe("keyExpired", () => {
  it("never for a key without an end; from expires_at on, not a millisecond before", () => {
    expect(keyExpired(null, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(keyExpired(5_000, 4_999)).toBe(false);
    expect(keyExpired(5_000, 5_000)).toBe(true);
    expect(keyExpired(5_000, 5_001)).toBe(true);
  });
});

describe("rollExpiries", () => {
  const now = 1_000_000;
  it("gives the old key the grace and the successor no end", () => {
    expect(rollExpiries(null, 3600, now)).toEqual({ old: now + 3_600_000, successor: null });
    expect(rollExpiries(null, 0, now)).toEqual({ old: now, successor: null });
  });

  it("never lengthens a temporary key's life, and its successor keeps its end", () => {
    expect(rollExpiries(now + 60_000, 3600, now)).toEqual({
      old: now + 60_000,
      successor: now + 60_000,
    });
    expect(rollExpiries(now + 7_200_000, 3600, now)).toEqual({
      old: now + 3_600_000,
      successor: now + 7_200_000,
    });
  });
});

describe("describeIssues", () => {
  it("names a strict object's unknown field, under its path", () => {
    expect(
      describeIssues([
        { path: [], keys: ["kind", "store_id"], message: 'Unrecognized keys: "kind", "store_id"' },
        { path: ["posters", 3], keys: ["colour"], message: "Unrecognized key" },
        { path: [], message: "Invalid input" },
      ]).map((i) => i.field),
    ).toEqual(["kind", "posters.3.colour", "(body)"]);
  });
});
