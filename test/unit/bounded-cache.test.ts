import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../src/core/bounded-cache";

describe("BoundedCache", () => {
  it("remembers values by key", () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    expect(cache.get("b")).toBe(2);
    expect(cache.get("c")).toBeUndefined();
  });

  it("never holds more than max entries and forgets the oldest first", () => {
    const cache = new BoundedCache<number, number>(3);
    for (let i = 0; i < 10; i++) {
      cache.set(i, i * 10);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => cache.get(k))).toEqual(Array(7).fill(undefined));
    expect([7, 8, 9].map((k) => cache.get(k))).toEqual([70, 80, 90]);
  });

  it("replacing a known key evicts nothing", () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 3);
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBe(3);
    expect(cache.get("b")).toBe(2);
  });

  it("refuses a size that could not hold anything, or a lifetime that is not positive", () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(1.5)).toThrow(RangeError);
    expect(() => new BoundedCache(2, 0)).toThrow(RangeError);
  });

  it("forgets an entry ttlMs after it was set (the clock is passed in)", () => {
    const cache = new BoundedCache<string, number>(2, 1000);
    cache.set("a", 1, 5_000);
    expect(cache.get("a", 5_999)).toBe(1);
    expect(cache.get("a", 6_000)).toBeUndefined();
    expect(cache.size).toBe(0); // an expired entry read is dropped
    cache.set("a", 2, 6_000);
    expect(cache.get("a", 6_500)).toBe(2);
  });

  it("forgets a deleted key at once, and everything on clear", () => {
    const cache = new BoundedCache<string, number | null>(3);
    cache.set("a", null);
    cache.set("b", 2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    cache.clear();
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
