// Stores with their own time zones (stores.time_zone) on a deployment in UTC: poster scans through
// the real scan route, at instants around each store's midnight (Los Angeles across both DST
// changes), count on the store's local day; the funnel of a store by day equals a hand count per
// local day; the export of a day gives exactly the rows the funnel counted; the console's funnel
// page shows a store's days. One person's Tokyo morning and a change of zone:
// funnel-store-zones-journeys.test.ts. On fresh storage: the zones in use are this file's stores'.
import { beforeAll, describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { session } from "./console-helpers";
import { funnel as funnelOf, scanAt, Z } from "./funnel-store-zones-helpers";
import { atClock, call, exportLines, mintKey, mintStoreKey } from "./helpers";
import { eventually } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";

// Each instant with the day its store's clocks showed, worked out by hand.
const TOKYO: [number, string][] = [
  [Z("2026-12-05T14:59:59.999Z"), "2026-12-05"], // 23:59:59.999 JST
  [Z("2026-12-05T15:00:00.000Z"), "2026-12-06"], // 00:00 JST (still Dec 5 in UTC)
  [Z("2026-12-05T23:30:00.000Z"), "2026-12-06"], // 08:30 JST
  [Z("2026-12-06T14:59:59.999Z"), "2026-12-06"], // 23:59:59.999 JST
  [Z("2026-12-06T15:00:00.000Z"), "2026-12-07"], // 00:00 JST
];
const LOS_ANGELES: [number, string][] = [
  [Z("2026-03-08T07:59:59.999Z"), "2026-03-07"], // 23:59:59.999 PST
  [Z("2026-03-08T08:00:00.000Z"), "2026-03-08"], // 00:00 PST; at 02:00 clocks go to 03:00 PDT
  [Z("2026-03-09T06:59:59.999Z"), "2026-03-08"], // 23:59:59.999 PDT: a 23-hour day
  [Z("2026-03-09T07:00:00.000Z"), "2026-03-09"], // 00:00 PDT
  [Z("2026-11-01T08:30:00.000Z"), "2026-11-01"], // 01:30 PDT
  [Z("2026-11-01T09:30:00.000Z"), "2026-11-01"], // 01:30 PST, the hour again
  [Z("2026-11-02T07:59:59.999Z"), "2026-11-01"], // 23:59:59.999 PST: a 25-hour day
  [Z("2026-11-02T08:00:00.000Z"), "2026-11-02"], // 00:00 PST
  [Z("2026-12-06T08:00:00.000Z"), "2026-12-06"], // 00:00 PST (UTC's Dec 6 too)
  [Z("2026-12-07T07:59:59.999Z"), "2026-12-06"], // 23:59:59.999 PST, UTC's Dec 7
];
// The store without a zone: the deployment's (UTC) days.
const PLAIN: [number, string][] = [
  [Z("2026-12-05T23:59:59.999Z"), "2026-12-05"],
  [Z("2026-12-06T00:00:00.000Z"), "2026-12-06"],
  [Z("2026-12-06T23:59:59.999Z"), "2026-12-06"],
];
const ALL = TOKYO.length + LOS_ANGELES.length + PLAIN.length;

let statsKey: string;
const stores = { tokyo: "", la: "", plain: "" };

const funnel = (query: string, key = statsKey) => funnelOf(query, key);

/** Days → how many of `instants` fall on each, every day of `days` present. */
function handCount(instants: [number, string][], days: string[]): Record<string, number> {
  const out = Object.fromEntries(days.map((d) => [d, 0]));
  for (const [, day] of instants) if (day in out) out[day]! += 1;
  return out;
}

beforeAll(async () => {
  statsKey = await mintKey("secret", ["stats:read"]);
  stores.tokyo = (await makeStore("Shibuya", { time_zone: "Asia/Tokyo" })).id;
  stores.la = (await makeStore("Venice Beach", { time_zone: "America/Los_Angeles" })).id;
  stores.plain = (await makeStore("Online")).id;
  const plan: [string, [number, string][]][] = [
    [stores.tokyo, TOKYO],
    [stores.la, LOS_ANGELES],
    [stores.plain, PLAIN],
  ];
  for (const [store, instants] of plan) {
    const p = await makePoster({ store_id: store });
    for (const [at] of instants) await scanAt(p.code, at);
  }
  // Every scan counted (the queue delivers on its own time).
  await eventually(async () => {
    const f = await funnel("from=2026-03-01&to=2026-12-31&group_by=store&freshness=none");
    return f.totals.scanned === ALL;
  }, `${ALL} scans counted`);
});

describe("the funnel by day of each store, in its own zone", () => {
  const byDay = async (store: string, from: string, to: string) => {
    const f = await funnel(`from=${from}&to=${to}&group_by=day&store_id=${store}`);
    return { f, days: Object.fromEntries(f.rows.map((r) => [r.group, r.scanned])) };
  };

  it("Tokyo: each scan on the day Tokyo's clocks showed, though the deployment is in UTC", async () => {
    const { f, days } = await byDay(stores.tokyo, "2026-12-04", "2026-12-08");
    expect([f.time_zone, f.time_zones]).toEqual(["Asia/Tokyo", ["Asia/Tokyo"]]);
    expect(days).toEqual(
      handCount(TOKYO, ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]),
    );
    expect(days["2026-12-06"]).toBe(3);
  });

  it("Los Angeles across both DST changes: the 23-hour and the 25-hour day", async () => {
    const spring = await byDay(stores.la, "2026-03-07", "2026-03-09");
    expect(spring.days).toEqual(handCount(LOS_ANGELES, ["2026-03-07", "2026-03-08", "2026-03-09"]));
    const fall = await byDay(stores.la, "2026-10-31", "2026-11-02");
    expect(fall.days).toEqual(handCount(LOS_ANGELES, ["2026-10-31", "2026-11-01", "2026-11-02"]));
    expect(fall.days["2026-11-01"]).toBe(3);
  });

  it("the store without a zone keeps the deployment's UTC days", async () => {
    const { f, days } = await byDay(stores.plain, "2026-12-05", "2026-12-06");
    expect(f.time_zone).toBe("UTC");
    expect(days).toEqual({ "2026-12-05": 1, "2026-12-06": 2 });
  });

  it("one day by store: each store's row is its own local day, and the answer lists the zones", async () => {
    const f = await funnel("from=2026-12-06&to=2026-12-06&group_by=store");
    expect(f.time_zone).toBe("UTC");
    expect(f.time_zones).toEqual(["UTC", "America/Los_Angeles", "Asia/Tokyo"]);
    const rows = Object.fromEntries(f.rows.map((r) => [r.group, r.scanned]));
    expect(rows).toEqual({
      [stores.tokyo]: handCount(TOKYO, ["2026-12-06"])["2026-12-06"],
      [stores.la]: handCount(LOS_ANGELES, ["2026-12-06"])["2026-12-06"],
      [stores.plain]: handCount(PLAIN, ["2026-12-06"])["2026-12-06"],
    });
  });

  it("a store's default range and 'today' are its zone's, for its key as for store_id", async () => {
    // 15:30 UTC of Dec 5 is 00:30 of Dec 6 in Tokyo, 07:30 of Dec 5 in Los Angeles.
    const at = Z("2026-12-05T15:30:00Z");
    const storeKey = await mintStoreKey(stores.tokyo);
    const [tokyo, held, la, all] = await atClock(at, () =>
      Promise.all([
        funnel(`store_id=${stores.tokyo}`),
        funnel("", storeKey),
        funnel(`store_id=${stores.la}`),
        funnel(""),
      ]),
    );
    expect([tokyo.to, tokyo.time_zone]).toEqual(["2026-12-06", "Asia/Tokyo"]);
    expect([held.to, held.time_zone]).toEqual(["2026-12-06", "Asia/Tokyo"]);
    expect([la.to, la.time_zone]).toEqual(["2026-12-05", "America/Los_Angeles"]);
    expect([all.to, all.time_zone]).toEqual(["2026-12-05", "UTC"]);
  });

  it("a store's posters gone quiet are counted to its own today", async () => {
    const quiet = (q: string) =>
      atClock(Z("2026-12-05T15:30:00Z"), async () => {
        const res = await call(`/v1/stats/quiet-posters?${q}`, { key: statsKey });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { time_zone: string; today: string };
        return [body.time_zone, body.today];
      });
    expect(await quiet(`store_id=${stores.tokyo}`)).toEqual(["Asia/Tokyo", "2026-12-06"]);
    expect(await quiet(`store_id=${stores.plain}`)).toEqual(["UTC", "2026-12-05"]);
    expect(await quiet("")).toEqual(["UTC", "2026-12-05"]);
  });
});

describe("the export of a local day", () => {
  const rowsOf = async (query: string, key = statsKey) =>
    (await exportLines(query, key)).map((l) => JSON.parse(l) as HopRow);

  it("has exactly the scans the funnel counted on that day, store by store", async () => {
    const rows = await rowsOf("from=2026-12-06&to=2026-12-06&hop=scanned");
    const f = await funnel("from=2026-12-06&to=2026-12-06&group_by=store");
    const byStore: Record<string, number[]> = {};
    for (const r of rows) byStore[r.store_id!] = [...(byStore[r.store_id!] ?? []), r.at];
    expect(Object.fromEntries(Object.entries(byStore).map(([s, ats]) => [s, ats.length]))).toEqual(
      Object.fromEntries(f.rows.map((r) => [r.group, r.scanned])),
    );
    const on = (instants: [number, string][]) =>
      instants.filter(([, d]) => d === "2026-12-06").map(([at]) => at);
    expect(byStore[stores.tokyo]!.sort()).toEqual(on(TOKYO));
    // Los Angeles's Dec 6 ends at 07:59:59.999 UTC of Dec 7: read, and given.
    expect(byStore[stores.la]!.sort()).toEqual(on(LOS_ANGELES));
    expect(byStore[stores.plain]!.sort()).toEqual(on(PLAIN));
    expect(rows.every((r) => r.day === "2026-12-06")).toBe(true);
  });

  it("a store's key gets its store's rows of its local day, a row a page too", async () => {
    const storeKey = await mintStoreKey(stores.tokyo);
    for (const limit of [1000, 1]) {
      const rows = await rowsOf(
        `from=2026-12-06&to=2026-12-06&hop=scanned&limit=${limit}`,
        storeKey,
      );
      expect(rows.map((r) => r.at).sort()).toEqual(
        TOKYO.filter(([, d]) => d === "2026-12-06").map(([at]) => at),
      );
    }
  });
});

describe("the console's funnel page", () => {
  it("filtered to a store, its days and its default range are the store's zone's", async () => {
    const { cookie } = await session(await mintKey("secret", ["stats:read"]));
    // 15:30 UTC of Dec 5 is 00:30 of Dec 6 in Tokyo.
    const page = (q: string) =>
      atClock(Z("2026-12-05T15:30:00Z"), async () => {
        const res = await call(`/dashboard${q}`, { headers: { cookie } });
        expect(res.status).toBe(200);
        const html = await res.text();
        return [
          /<body[^>]*data-time-zone="([^"]*)"/.exec(html)?.[1],
          /name="to" value="([^"]*)"/.exec(html)?.[1],
        ];
      });
    expect(await page(`?store_id=${stores.tokyo}`)).toEqual(["Asia/Tokyo", "2026-12-06"]);
    expect(await page(`?store_id=${stores.plain}`)).toEqual(["UTC", "2026-12-05"]);
    expect(await page("")).toEqual(["UTC", "2026-12-05"]);
  });
});
