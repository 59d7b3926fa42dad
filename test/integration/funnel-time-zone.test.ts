// A deployment's reporting time zone (QB_REPORTING_TIME_ZONE): hops recorded through the writer
// at instants around midnight in Tokyo, across Los Angeles's DST changes and in Kolkata count on
// the day their clocks showed; the funnel by day equals a hand count per local day, the export of
// a local day gives exactly those rows, and one person scanning at 23:30 and 00:30 UTC (one
// Tokyo morning) is one unique scanner. On fresh storage: it reads whole days.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { HopRow } from "../../src/core/hop-row";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { session } from "./console-helpers";
import { atClock, BASE, call, mintKey, mintStoreKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { makeStore } from "./poster-helpers";
import { recordInZone as record, scanAt, zoned } from "./time-zone-helpers";

type Funnel = FunnelResult & { from: string; to: string; time_zone: string };

const Z = (iso: string) => Date.parse(iso);

// Each instant with the day its zone's clocks showed, worked out by hand.
const TOKYO: [number, string][] = [
  [Z("2026-12-05T14:59:59.999Z"), "2026-12-05"], // 23:59:59.999 JST
  [Z("2026-12-05T15:00:00.000Z"), "2026-12-06"], // 00:00 JST
  [Z("2026-12-05T23:30:00.000Z"), "2026-12-06"], // 08:30 JST
  [Z("2026-12-06T00:30:00.000Z"), "2026-12-06"], // 09:30 JST
  [Z("2026-12-06T14:59:59.999Z"), "2026-12-06"], // 23:59:59.999 JST
  [Z("2026-12-06T15:00:00.000Z"), "2026-12-07"], // 00:00 JST
];
const LOS_ANGELES: [number, string][] = [
  [Z("2026-03-08T07:59:59.999Z"), "2026-03-07"], // 23:59:59.999 PST
  [Z("2026-03-08T08:00:00.000Z"), "2026-03-08"], // 00:00 PST; at 02:00 clocks go to 03:00 PDT
  [Z("2026-03-08T10:30:00.000Z"), "2026-03-08"], // 03:30 PDT
  [Z("2026-03-09T06:59:59.999Z"), "2026-03-08"], // 23:59:59.999 PDT: a 23-hour day
  [Z("2026-03-09T07:00:00.000Z"), "2026-03-09"], // 00:00 PDT
  [Z("2026-11-01T08:30:00.000Z"), "2026-11-01"], // 01:30 PDT
  [Z("2026-11-01T09:30:00.000Z"), "2026-11-01"], // 01:30 PST, the hour again
  [Z("2026-11-02T07:59:59.999Z"), "2026-11-01"], // 23:59:59.999 PST: a 25-hour day
  [Z("2026-11-02T08:00:00.000Z"), "2026-11-02"], // 00:00 PST
];
const KOLKATA: [number, string][] = [
  [Z("2026-06-01T18:29:59.999Z"), "2026-06-01"], // 23:59:59.999 IST (+5:30)
  [Z("2026-06-01T18:30:00.000Z"), "2026-06-02"], // 00:00 IST
  [Z("2026-06-02T18:29:59.999Z"), "2026-06-02"],
];

/** Days → how many of `instants` fall on each, every day of [from, to] present. */
function handCount(instants: [number, string][], days: string[]): Record<string, number> {
  const out = Object.fromEntries(days.map((d) => [d, 0]));
  for (const [, day] of instants) out[day] = (out[day] ?? 0) + 1;
  return out;
}

let key: string;
let tokyoStore: string;

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  tokyoStore = (await makeStore("Tokyo")).id;
  await record(
    "Asia/Tokyo",
    TOKYO.map(([at]) => scanAt("tz_tokyo", at, tokyoStore)),
  );
  await record(
    "America/Los_Angeles",
    LOS_ANGELES.map(([at]) => scanAt("tz_la", at)),
  );
  await record(
    "Asia/Kolkata",
    KOLKATA.map(([at]) => scanAt("tz_kolkata", at)),
  );
});

async function byDay(zone: string, poster: string, from: string, to: string) {
  const res = await zoned(zone)(
    `/v1/stats/funnel?from=${from}&to=${to}&group_by=day&poster_id=${poster}`,
    key,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  const f = (await res.json()) as Funnel;
  return { f, days: Object.fromEntries(f.rows.map((r) => [r.group, r.scanned])) };
}

describe("the funnel by day in the reporting time zone", () => {
  it("Tokyo: each scan on the day Tokyo's clocks showed, the answer naming the zone", async () => {
    const { f, days } = await byDay("Asia/Tokyo", "tz_tokyo", "2026-12-04", "2026-12-08");
    expect(f.time_zone).toBe("Asia/Tokyo");
    expect(days).toEqual(
      handCount(TOKYO, ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]),
    );
    expect(days["2026-12-06"]).toBe(4);
  });

  it("Los Angeles across both DST changes: the 23-hour and the 25-hour day", async () => {
    const spring = await byDay("America/Los_Angeles", "tz_la", "2026-03-07", "2026-03-09");
    expect(spring.days).toEqual(
      handCount(
        LOS_ANGELES.filter(([, d]) => d < "2026-04"),
        ["2026-03-07", "2026-03-08", "2026-03-09"],
      ),
    );
    const fall = await byDay("America/Los_Angeles", "tz_la", "2026-10-31", "2026-11-02");
    expect(fall.days).toEqual(
      handCount(
        LOS_ANGELES.filter(([, d]) => d > "2026-04"),
        ["2026-10-31", "2026-11-01", "2026-11-02"],
      ),
    );
    expect(fall.days["2026-11-01"]).toBe(3);
  });

  it("Kolkata (+5:30): the half hour decides", async () => {
    const { days } = await byDay("Asia/Kolkata", "tz_kolkata", "2026-06-01", "2026-06-02");
    expect(days).toEqual({ "2026-06-01": 1, "2026-06-02": 2 });
  });

  it("the default range ends today in the zone, and the default deployment says UTC", async () => {
    // 15:30 UTC of Dec 5 is 00:30 of Dec 6 in Tokyo.
    const f = await atClock(Z("2026-12-05T15:30:00Z"), async () => {
      const res = await zoned("Asia/Tokyo")("/v1/stats/funnel?poster_id=tz_tokyo", key);
      return (await res.json()) as Funnel;
    });
    expect([f.from, f.to, f.time_zone]).toEqual(["2026-11-07", "2026-12-06", "Asia/Tokyo"]);
    const res = await call("/v1/stats/funnel?from=2026-12-06&to=2026-12-06&poster_id=tz_tokyo", {
      key,
    });
    expect(((await res.json()) as Funnel).time_zone).toBe("UTC");
  });
});

/** Every row of the export of [from, to] through a bridge in `zone`, page after page. */
async function exported(zone: string, query: string, as: string, limit = 1000) {
  const rows: HopRow[] = [];
  let cursor = "";
  for (let page = 0; page < 50; page++) {
    const res = await zoned(zone)(
      `/v1/hops?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      as,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const text = new TextDecoder().decode(await res.arrayBuffer());
    for (const line of text.split("\n")) if (line) rows.push(JSON.parse(line));
    cursor = res.headers.get("x-next-cursor") ?? "";
    if (!cursor) return rows;
  }
  throw new Error("the export did not end");
}

describe("the export of a day in the reporting time zone", () => {
  const tokyoDay = TOKYO.filter(([, d]) => d === "2026-12-06").map(([at]) => at);

  it("gives exactly the rows the funnel counted on that Tokyo day, a row a page too", async () => {
    for (const limit of [1000, 1]) {
      const rows = await exported(
        "Asia/Tokyo",
        "from=2026-12-06&to=2026-12-06&poster_id=tz_tokyo",
        key,
        limit,
      );
      expect(rows.map((r) => r.at).sort()).toEqual(tokyoDay);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
      expect(rows.every((r) => r.day === "2026-12-06")).toBe(true);
    }
  });

  it("a store's key gets the same rows of its store", async () => {
    const storeKey = await mintStoreKey(tokyoStore);
    const rows = await exported("Asia/Tokyo", "from=2026-12-06&to=2026-12-06", storeKey, 2);
    expect(rows.map((r) => r.at).sort()).toEqual(tokyoDay);
  });

  it("Los Angeles's 25-hour day, all of it and nothing of its neighbours", async () => {
    const rows = await exported(
      "America/Los_Angeles",
      "from=2026-11-01&to=2026-11-01&poster_id=tz_la",
      key,
    );
    expect(rows.map((r) => r.at).sort()).toEqual(
      LOS_ANGELES.filter(([, d]) => d === "2026-11-01").map(([at]) => at),
    );
  });

  it("refuses a cursor outside the hours of the asked days", async () => {
    const res = await zoned("Asia/Tokyo")(
      `/v1/hops?from=2026-12-06&to=2026-12-06&cursor=${btoa("2026-12-06T15|hops/x|0").replace(/=+$/, "")}`,
      key,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { field: string } }).details.field).toBe("cursor");
  });
});

describe("unique scanners per day in the reporting time zone", () => {
  const uniques = async (poster: string, from: string, to: string) => {
    const res = await zoned("Asia/Tokyo")(
      `/v1/stats/funnel?from=${from}&to=${to}&poster_id=${poster}`,
      key,
    );
    return ((await res.json()) as Funnel).totals as FunnelFigures;
  };

  it("one person at 23:30 and 00:30 UTC, one Tokyo morning: one unique scanner", async () => {
    const ip = "198.51.100.77";
    await record("Asia/Tokyo", [scanAt("tz_uniq", Z("2026-12-05T23:30:00Z"))], ip);
    await record("Asia/Tokyo", [scanAt("tz_uniq", Z("2026-12-06T00:30:00Z"))], ip);
    const t = await uniques("tz_uniq", "2026-12-06", "2026-12-06");
    expect([t.scanned, t.unique_scanners]).toEqual([2, 1]);
  });

  it("the same person either side of Tokyo's midnight: two days, two salts, two scanners", async () => {
    const ip = "198.51.100.78";
    await record("Asia/Tokyo", [scanAt("tz_uniq2", Z("2026-12-05T14:30:00Z"))], ip);
    await record("Asia/Tokyo", [scanAt("tz_uniq2", Z("2026-12-05T15:30:00Z"))], ip);
    const t = await uniques("tz_uniq2", "2026-12-05", "2026-12-06");
    expect([t.scanned, t.unique_scanners]).toEqual([2, 2]);
  });
});

describe("configuration", () => {
  it("an unknown zone (or Factory, no civil time) is a configuration error naming the variable, not a 500 per route", async () => {
    for (const zone of ["Asia/Tokio", "Factory"]) {
      const bridge = createBridge((e) => optionsFromEnv(e));
      const ctx = createExecutionContext();
      const res = await bridge.fetch(
        new Request("https://qr.test/healthz"),
        { ...testEnv, QB_REPORTING_TIME_ZONE: zone } as Env,
        ctx,
      );
      const body = (await res.json()) as { error: string; message: string };
      expect([res.status, body.error], zone).toEqual([500, "misconfigured"]);
      expect(body.message).toContain("QB_REPORTING_TIME_ZONE");
    }
    expect(
      optionsFromEnv({ ...testEnv, QB_REPORTING_TIME_ZONE: " Asia/Tokyo " } as Env),
    ).toMatchObject({ reportingTimeZone: "Asia/Tokyo" });
  });
});

describe("the console's funnel page", () => {
  it("names the zone its days are in before any answer, so 'last 7 days' ends today there", async () => {
    const { cookie } = await session(await mintKey("secret", ["stats:read"]));
    const pageIn = async (zone: string) => {
      const bridge = createBridge((e) => optionsFromEnv(e));
      const ctx = createExecutionContext();
      const res = await bridge.fetch(
        new Request(`${BASE}/dashboard`, { headers: { cookie } }),
        { ...testEnv, QB_REPORTING_TIME_ZONE: zone } as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(200);
      return /<body[^>]*data-time-zone="([^"]*)"/.exec(await res.text())?.[1];
    };
    expect(await pageIn("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(await pageIn("UTC")).toBe("UTC");
  });
});
