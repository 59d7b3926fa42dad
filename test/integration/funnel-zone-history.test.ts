// The zones in use are every zone a store has carried (store_time_zones), not only today's: a
// store that leaves Tokyo keeps its hops on Tokyo's days, so the export of such a day must still
// read the UTC hours that hold it. And reading them costs a row per zone, however many stores
// carry it. A poster's funnel is read in its store's days, as its store's is. On fresh storage: the zones in use are this file's stores'.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { zonesInUse } from "../../src/store/store-zones";
import { Meter, meterEnv } from "../support/meter";
import { atClock, call, exportLines, mintKey } from "./helpers";
import { eventually } from "./hop-helpers";
import { IPHONE, makePoster, makeStore, posterKey, scan } from "./poster-helpers";

const db = (env as unknown as { DB: D1Database }).DB;

describe("a store that leaves its zone", () => {
  it("keeps the zone in use: the export of its old local day still has the rows the funnel counted", async () => {
    const statsKey = await mintKey("secret", ["stats:read"]);
    const store = (await makeStore("Umeda", { time_zone: "Asia/Tokyo" })).id;
    const p = await makePoster({ store_id: store });
    // 15:30 UTC of Dec 5 is Dec 6 in Tokyo: outside UTC's Dec 6 hours.
    await atClock(Date.parse("2026-12-05T15:30:00Z"), async () => {
      expect((await scan(`/p/${p.code}`, IPHONE)).status).toBe(200);
    });
    const q = `from=2026-12-06&to=2026-12-06&poster_id=${p.id}`;
    const counted = await eventually(async () => {
      const res = await call(`/v1/stats/funnel?${q}`, { key: statsKey });
      const f = (await res.json()) as { totals: { scanned: number } };
      return f.totals.scanned >= 1 && f.totals.scanned;
    }, "the scan counted");
    const back = await call(`/v1/stores/${store}`, {
      method: "PATCH",
      key: await posterKey(),
      json: { time_zone: null },
    });
    expect(back.status).toBe(200);
    const funnel = await call("/v1/stats/funnel?from=2026-12-06&to=2026-12-06", { key: statsKey });
    expect(((await funnel.json()) as { time_zones: string[] }).time_zones).toContain("Asia/Tokyo");
    const rows = (await exportLines(`${q}&hop=scanned`, statsKey)).map(
      (l) => JSON.parse(l) as HopRow,
    );
    expect(rows.map((r) => r.day)).toEqual(["2026-12-06"]);
    expect(rows).toHaveLength(counted);
  });
});

describe("reading the zones in use", () => {
  it("reads a row per zone, not per store; a change of a store that does not exist records none", async () => {
    for (let i = 0; i < 12; i++) await makeStore(`Berlin ${i}`, { time_zone: "Europe/Berlin" });
    const missing = await call("/v1/stores/st_000000000000", {
      method: "PATCH",
      key: await posterKey(),
      json: { time_zone: "Pacific/Kiritimati" },
    });
    expect(missing.status).toBe(404);
    const meter = new Meter();
    const zones = await zonesInUse(meterEnv({ DB: db }, meter, "read").DB, "UTC");
    expect(zones).not.toContain("Pacific/Kiritimati");
    expect(zones).toContain("Europe/Berlin");
    expect(meter.snapshot()["read:d1.rows_read"]).toBe(zones.length - 1);
  });
});

describe("a poster's funnel", () => {
  it("is read in its store's days: the default range ends on the store's today", async () => {
    const statsKey = await mintKey("secret", ["stats:read"]);
    const store = (await makeStore("Namba", { time_zone: "Asia/Tokyo" })).id;
    const p = await makePoster({ store_id: store });
    const loose = await makePoster({});
    // 15:30 UTC of Dec 5: already Dec 6 in Tokyo.
    const answer = (poster: string) =>
      atClock(Date.parse("2026-12-05T15:30:00Z"), async () => {
        const res = await call(`/v1/stats/funnel?poster_id=${poster}`, { key: statsKey });
        expect(res.status).toBe(200);
        return (await res.json()) as { to: string; time_zone: string; time_zones: string[] };
      });
    expect(await answer(p.id)).toMatchObject({
      to: "2026-12-06",
      time_zone: "Asia/Tokyo",
      time_zones: ["Asia/Tokyo"],
    });
    // A poster with no store keeps the deployment's days.
    expect(await answer(loose.id)).toMatchObject({ to: "2026-12-05", time_zone: "UTC" });
  });
});
