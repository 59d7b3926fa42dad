// A store's time zone over one person's day and over a change: one person at 23:30 and 00:30 UTC
// (one Tokyo morning) is one unique scanner; the app open and conversion of a Tokyo scan count on
// the scan's local day; a zone change drops the poster's cache entry and applies from then on.
// Each test makes its own store; on fresh storage (vitest.config.ts), as the other funnel files.
import { beforeAll, describe, expect, it } from "vitest";
import { DAY, funnel as funnelOf, scanAt, Z } from "./funnel-store-zones-helpers";
import { atClock, call, mintKey } from "./helpers";
import { eventually } from "./hop-helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

let statsKey: string;
let writeKey: string;

const funnel = (query: string) => funnelOf(query, statsKey);

beforeAll(async () => {
  statsKey = await mintKey("secret", ["stats:read"]);
  writeKey = await posterKey();
});

describe("one person's day in Tokyo", () => {
  it("at 23:30 and 00:30 UTC, one Tokyo morning: one unique scanner", async () => {
    const store = (await makeStore("Ginza", { time_zone: "Asia/Tokyo" })).id;
    const p = await makePoster({ store_id: store });
    const ip = "198.51.100.91";
    await scanAt(p.code, Z("2026-12-05T23:30:00Z"), ip);
    await scanAt(p.code, Z("2026-12-06T00:30:00Z"), ip);
    const f = await eventually(async () => {
      const f = await funnel(`from=2026-12-06&to=2026-12-06&store_id=${store}`);
      return f.totals.scanned >= 2 && f;
    }, "two scans");
    expect([f.totals.scanned, f.totals.unique_scanners]).toEqual([2, 1]);
  });

  it("the app open and the conversion of a scan at 00:00:30 in Tokyo count on the scan's day", async () => {
    const store = (await makeStore("Shinjuku", { time_zone: "Asia/Tokyo" })).id;
    const p = await makePoster({ store_id: store });
    // A Tokyo midnight two to three days ago (15:00 UTC of the day before in UTC): app events
    // older than a week would not count at all.
    const midnight = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY - 9 * 3_600_000;
    const scanned = midnight + 30_000;
    const tokyoDay = new Date(midnight + DAY).toISOString().slice(0, 10);
    const utcDay = new Date(midnight).toISOString().slice(0, 10);
    const html = await scanAt(p.code, scanned);
    const s = /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
    const app = { "user-agent": "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0" };
    await atClock(scanned + 60_000, async () => {
      const opened = await call("/v1/resolve", {
        method: "POST",
        json: { url: `${p.url}?s=${s}` },
        headers: app,
      });
      expect(opened.status).toBe(200);
    });
    await atClock(scanned + 120_000, async () => {
      const converted = await call("/v1/events", {
        method: "POST",
        json: { session: s, type: "converted", value: 12 },
        headers: app,
      });
      expect(converted.status).toBe(202);
    });
    const q = `from=${utcDay}&to=${tokyoDay}&group_by=day&poster_id=${p.id}`;
    const f = await eventually(async () => {
      const f = await funnel(q);
      return f.totals.converted >= 1 && f.totals.app_open >= 1 && f;
    }, "the journey counted");
    const stages = Object.fromEntries(
      f.rows.map((r) => [r.group, [r.scanned, r.landing, r.app_open, r.converted]]),
    );
    expect(stages).toEqual({ [utcDay]: [0, 0, 0, 0], [tokyoDay]: [1, 1, 1, 1] });
  });
});

describe("a change of zone", () => {
  it("drops the poster's cache entry and applies from then on; earlier days stay", async () => {
    const store = (await makeStore("Osaka")).id;
    const p = await makePoster({ store_id: store });
    // 15:30 UTC of Dec 5: Dec 5 in UTC, Dec 6 in Tokyo. The first scan caches the poster.
    const at = Z("2026-12-05T15:30:00Z");
    await scanAt(p.code, at);
    const changed = await call(`/v1/stores/${store}`, {
      method: "PATCH",
      key: writeKey,
      json: { time_zone: "Asia/Tokyo" },
    });
    expect(changed.status).toBe(200);
    await scanAt(p.code, at);
    const q = `from=2026-12-05&to=2026-12-06&group_by=day&poster_id=${p.id}`;
    const f = await eventually(async () => {
      const f = await funnel(q);
      return f.totals.scanned >= 2 && f;
    }, "two scans");
    expect(Object.fromEntries(f.rows.map((r) => [r.group, r.scanned]))).toEqual({
      "2026-12-05": 1,
      "2026-12-06": 1,
    });
  });
});
