import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addValues,
  conversionValueOf,
  hasCents,
  MAX_EXACT_MINOR,
  minorUnits,
  valuesInUnits,
} from "../../src/core/conversion-value";
import { mergeRollup, rollupDeltas, totalDeltas } from "../../src/core/rollup";
import { hopRowFixture } from "./hop-fixture";

const converted = (detail: unknown, over: Parameters<typeof hopRowFixture>[0] = {}) =>
  hopRowFixture({ hop: "converted", detail: JSON.stringify(detail), ...over });

describe("minorUnits", () => {
  it("turns a value into whole hundredths, rounded once on the decimal sent", () => {
    expect(minorUnits(12.5)).toBe(1250);
    expect(minorUnits(0.1 + 0.2)).toBe(30);
    expect(minorUnits(19.99)).toBe(1999);
    expect(minorUnits(1_000_000)).toBe(100_000_000);
    expect(minorUnits(0)).toBe(0);
    // More decimals than hundredths: half away from zero on the digits as written.
    expect(minorUnits(2.000000004)).toBe(200);
    expect(minorUnits(1.005)).toBe(101);
    expect(minorUnits(123.456)).toBe(12346);
    expect(minorUnits(0.004)).toBe(0);
    expect(minorUnits(0.005)).toBe(1);
    expect(minorUnits(0.0000001)).toBe(0);
    expect(minorUnits(0.999)).toBe(100);
  });

  it("has no value for what is not a finite amount from 0 to 10^12", () => {
    for (const v of [-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, 1e13, "12", null, true])
      expect(minorUnits(v), String(v)).toBeNull();
  });

  it("sums any amounts of at most 2 decimals exactly (as integers)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000_000 }), { maxLength: 200 }),
        (cents) => {
          const sum = cents.reduce((a, c) => a + (minorUnits(c / 100) ?? Number.NaN), 0);
          expect(sum).toBe(cents.reduce((a, c) => a + c, 0));
        },
      ),
    );
  });
});

describe("conversionValueOf", () => {
  it("is a person's converted hop's value and ISO 4217 currency", () => {
    expect(conversionValueOf(converted({ value: 12.5, currency: "EUR" }))).toEqual(["EUR", 1250]);
    expect(conversionValueOf(converted({ value: 0.07, currency: "JPY" }))).toEqual(["JPY", 7]);
  });

  it("files a value without a (valid) currency under XXX", () => {
    expect(conversionValueOf(converted({ value: 3 }))).toEqual(["XXX", 300]);
    expect(conversionValueOf(converted({ value: 3, currency: "eur" }))).toEqual(["XXX", 300]);
    expect(conversionValueOf(converted({ value: 3, currency: 42 }))).toEqual(["XXX", 300]);
  });

  it("is nothing for a bot, another hop, no value or a broken detail", () => {
    expect(conversionValueOf(converted({ value: 9, currency: "EUR" }, { bot: 1 }))).toBeNull();
    expect(conversionValueOf(converted({ value: 9 }, { hop: "app_open" }))).toBeNull();
    expect(conversionValueOf(converted({ currency: "EUR" }))).toBeNull();
    expect(conversionValueOf(converted({ value: "9" }))).toBeNull();
    expect(conversionValueOf(hopRowFixture({ hop: "converted", detail: '{"value":' }))).toBeNull();
    expect(conversionValueOf(hopRowFixture({ hop: "converted", detail: null }))).toBeNull();
  });
});

describe("values in rollup deltas", () => {
  const rows = [
    converted({ value: 0.1, currency: "EUR" }, { event_id: "a", platform: "ios" }),
    converted({ value: 0.2, currency: "EUR" }, { event_id: "b", platform: "android" }),
    converted(
      { value: 12.5, currency: "USD" },
      { event_id: "c", platform: "ios", in_app: "wechat" },
    ),
    converted({ value: 500, currency: "EUR" }, { event_id: "d", bot: 1 }),
    converted({}, { event_id: "e" }),
  ];

  it("add hundredths per currency, per platform and in-app browser; bots add none", () => {
    const [delta] = rollupDeltas(rows);
    expect(delta!.counts).toMatchObject({
      converted: 4,
      "bot.converted": 1,
      converted$EUR: 30,
      "converted$EUR@p:ios": 10,
      "converted$EUR@p:android": 20,
      "converted$EUR@i:": 30,
      converted$USD: 1250,
      "converted$USD@p:ios": 1250,
      "converted$USD@i:wechat": 1250,
    });
    expect(Object.keys(delta!.counts).filter((k) => k.startsWith("bot."))).toEqual([
      "bot.converted",
    ]);
  });

  it("sum as integers when totals and merges add rows", () => {
    const other = rollupDeltas([
      converted({ value: 0.07, currency: "EUR" }, { event_id: "f", poster_id: "Q" }),
    ]);
    const [total] = totalDeltas([...rollupDeltas(rows), ...other]);
    expect(total!.counts.converted$EUR).toBe(37);
    const into = { counts: { converted$EUR: 1 }, scanners: {}, delays: {} };
    mergeRollup(into, total!);
    expect(into.counts.converted$EUR).toBe(38);
  });
});

describe("reading values back", () => {
  const counts = {
    converted: 3,
    converted$EUR: 30,
    "converted$EUR@p:ios": 10,
    "converted$EUR@p:android": 20,
    "converted$USD@p:ios": 1250,
    converted$USD: 1250,
    "converted~page": 1,
    app_open: 4,
  };

  it("takes the plain keys without a dimension, one dimension's keys with one", () => {
    const all: Record<string, number> = {};
    addValues(all, counts, null);
    addValues(all, { converted$EUR: 7 }, null);
    expect(all).toEqual({ EUR: 37, USD: 1250 });
    const ios: Record<string, number> = {};
    addValues(ios, counts, "p:ios");
    expect(ios).toEqual({ EUR: 10, USD: 1250 });
  });

  it("answers units per currency, sorted, exact to the hundredth", () => {
    const out = valuesInUnits({ USD: 30, EUR: 100_002_229, XXX: 500 });
    expect(out).toEqual({ EUR: 1_000_022.29, USD: 0.3, XXX: 5 });
    expect(Object.keys(out)).toEqual(["EUR", "USD", "XXX"]);
    expect(JSON.stringify(valuesInUnits({ EUR: 30 }))).toBe('{"EUR":0.3}');
    expect(valuesInUnits({})).toEqual({});
  });

  it("stays exact up to the documented bound", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_EXACT_MINOR }), (minor) => {
        const units = valuesInUnits({ EUR: minor }).EUR!;
        // The decimal shown is exactly the integer of hundredths, shifted.
        const [whole, fraction = ""] = String(units).split(".");
        expect(BigInt(whole! + fraction.padEnd(2, "0"))).toBe(BigInt(minor));
      }),
    );
    // Beyond it: the nearest double, not a wrapped or dropped figure.
    const beyond = valuesInUnits({ EUR: 2 ** 60 + 7 }).EUR!;
    expect(Math.abs(beyond - (2 ** 60 + 7) / 100) / beyond).toBeLessThan(1e-15);
  });
});

describe("hasCents", () => {
  it("takes 2-decimal amounts up to the events API's bound, inexact doubles included", () => {
    for (const v of [0, 0.01, 12.34, 0.1 + 0.2, 19.99, 123_456_789.12, 999_999_999.99, 1e9])
      expect(hasCents(v), String(v)).toBe(true);
  });
  it("refuses a third decimal, at small values and at the bound alike", () => {
    for (const v of [0.001, 12.345, 1.005 + 1e-9, 123_456_789.125, 999_999_999.995])
      expect(hasCents(v), String(v)).toBe(false);
  });
});
