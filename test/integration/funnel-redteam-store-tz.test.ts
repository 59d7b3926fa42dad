// Red team of store time zones through the API. A store's zone changed three times in one day
// (Tokyo → Los Angeles → the deployment's → Tokyo) while another isolate still files its scans
// with the old zone: every hop counts once, on the day the export gives it, one person is one
// unique scanner of the day. Stores at UTC+14 and UTC−12 at once: the export of a day pages
// through the widened hours without skipping or repeating a row (a store key's pages too), and
// 0001-01-01 or 9999-12-31 are answers, never a 500. time_zone spellings are stored canonical,
// and only a key that may edit stores sets one. Fresh storage ("*funnel*"): the zones in use
// and the day's rows are this file's.
import { beforeAll, describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { FunnelResult } from "../../src/store/stats";
import { zonesInUse } from "../../src/store/store-zones";
import { ADMIN_KEY, atClock, call, exportLines, mintKey, mintStoreKey } from "./helpers";
import { eventually, testEnv } from "./hop-helpers";
import { IPHONE, makePoster, makeStore, posterKey, scan } from "./poster-helpers";
import { recordInZone, scanAt } from "./time-zone-helpers";

type Funnel = FunnelResult & { from: string; to: string; time_zone: string; time_zones: string[] };

const Z = (iso: string) => Date.parse(iso);
const DAY = "2026-12-06";
const TOKYO = "Asia/Tokyo";
const LA = "America/Los_Angeles";
const EAST = "Pacific/Kiritimati";
const WEST = "Etc/GMT+12";
const IP = "203.0.113.9";

let statsKey: string;
let writeKey: string;
let moving: string;
let movingPoster: { id: string; code: string };
let east: string;
let west: string;

async function funnel(query: string, key = statsKey): Promise<Funnel> {
  const res = await call(`/v1/stats/funnel?freshness=none&${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Funnel;
}

const rows = async (query: string, key = statsKey) =>
  (await exportLines(query, key)).map((l) => JSON.parse(l) as HopRow);

const setZone = async (store: string, time_zone: string | null) => {
  const res = await call(`/v1/stores/${store}`, {
    method: "PATCH",
    key: writeKey,
    json: { time_zone },
  });
  expect(res.status).toBe(200);
};

/** A person's scan through the real route (this isolate's poster cache) at `at`. */
const scanNow = (at: number) =>
  atClock(at, async () => {
    const res = await scan(`/p/${movingPoster.code}`, IPHONE, { "cf-connecting-ip": IP });
    expect(res.status).toBe(200);
    await res.text();
  });

beforeAll(async () => {
  statsKey = await mintKey("secret", ["stats:read"]);
  writeKey = await posterKey();
  moving = (await makeStore("Shinjuku", { time_zone: TOKYO })).id;
  movingPoster = await makePoster({ store_id: moving });
  east = (await makeStore("Christmas Island", { time_zone: EAST })).id;
  west = (await makeStore("Baker Island", { time_zone: WEST })).id;

  await scanNow(Z("2026-12-05T15:30:00Z")); // 00:30 of Dec 6 in Tokyo
  await setZone(moving, LA);
  // Another isolate's cache entry still carries Tokyo: 19:00 of Dec 6 there.
  await recordInZone(
    "UTC",
    [{ ...scanAt(movingPoster.id, Z("2026-12-06T10:00:00Z"), moving), time_zone: TOKYO }],
    IP,
  );
  await scanNow(Z("2026-12-06T10:05:00Z")); // 02:05 of Dec 6 in Los Angeles
  await setZone(moving, null);
  await scanNow(Z("2026-12-06T12:00:00Z")); // noon of Dec 6 in UTC, the deployment's
  await setZone(moving, TOKYO);
  await scanNow(Z("2026-12-06T14:30:00Z")); // 23:30 of Dec 6 in Tokyo
  await scanNow(Z("2026-12-06T15:30:00Z")); // 00:30 of Dec 7 in Tokyo: not Dec 6's

  // Dec 6 in Kiritimati is 10:00 UTC of Dec 5 to 10:00 of Dec 6; west of the date line, 12:00
  // UTC of Dec 6 to 12:00 of Dec 7: the export of Dec 6 reads 50 hours.
  const kiri = (await makePoster({ store_id: east })).id;
  const baker = (await makePoster({ store_id: west })).id;
  const inZone = (poster: string, store: string, zone: string, iso: string) => ({
    ...scanAt(poster, Z(iso), store),
    time_zone: zone,
  });
  await recordInZone("UTC", [
    inZone(kiri, east, EAST, "2026-12-05T10:00:00Z"), // Dec 6 00:00
    inZone(kiri, east, EAST, "2026-12-05T09:59:59Z"), // Dec 5 23:59:59
    inZone(kiri, east, EAST, "2026-12-06T09:30:00Z"), // Dec 6 23:30
    inZone(kiri, east, EAST, "2026-12-06T10:00:00Z"), // Dec 7 00:00
    inZone(baker, west, WEST, "2026-12-06T12:00:00Z"), // Dec 6 00:00
    inZone(baker, west, WEST, "2026-12-06T11:59:59Z"), // Dec 5 23:59:59
    inZone(baker, west, WEST, "2026-12-07T11:59:59Z"), // Dec 6 23:59:59
    inZone(baker, west, WEST, "2026-12-07T12:00:00Z"), // Dec 7 00:00
  ]);
  await eventually(async () => {
    const f = await funnel(`from=2026-12-05&to=2026-12-07&store_id=${moving}`);
    return f.totals.scanned === 6;
  }, "the moving store's six scans counted");
});

describe("a store whose zone changes three times in a day, with a stale cache elsewhere", () => {
  it("counts each scan once, on the day the export gives it, and its person once a day", async () => {
    const f = await funnel(`from=${DAY}&to=${DAY}&store_id=${moving}`);
    expect([f.totals.scanned, f.totals.unique_scanners]).toEqual([5, 1]);
    const exported = await rows(`from=${DAY}&to=${DAY}&store_id=${moving}&hop=scanned`);
    expect(exported.map((r) => r.day)).toEqual(Array(5).fill(DAY));
    expect(new Set(exported.map((r) => r.event_id)).size).toBe(5);
    const next = await rows(`from=2026-12-07&to=2026-12-07&store_id=${moving}&hop=scanned`);
    expect(next.map((r) => r.at)).toEqual([Z("2026-12-06T15:30:00Z")]);
  });

  it("keeps every zone it carried among the zones in use, and names its current one", async () => {
    const all = await funnel(`from=${DAY}&to=${DAY}`);
    expect(all.time_zones).toEqual(["UTC", LA, TOKYO, WEST, EAST]);
    const mine = await funnel(`from=${DAY}&to=${DAY}`, await mintStoreKey(moving));
    expect([mine.time_zone, mine.totals.scanned]).toEqual([TOKYO, 5]);
  });
});

describe("the export with stores at UTC+14 and UTC−12", () => {
  it("gives a day's rows once each, a row at a time as at a thousand, as the funnel counts them", async () => {
    const q = `from=${DAY}&to=${DAY}&hop=scanned`;
    const whole = await rows(`${q}&limit=1000`);
    const paged = await rows(`${q}&limit=1`);
    expect(paged.map((r) => r.event_id)).toEqual(whole.map((r) => r.event_id));
    expect(new Set(whole.map((r) => r.event_id)).size).toBe(whole.length);
    expect(whole.every((r) => r.day === DAY)).toBe(true);
    expect(whole).toHaveLength((await funnel(`from=${DAY}&to=${DAY}`)).totals.scanned);
    expect(whole).toHaveLength(9);
  });

  it("pages a store key's rows of the day through the widened hours, none skipped or repeated", async () => {
    for (const [store, count] of [
      [east, 2],
      [west, 2],
    ] as const) {
      const key = await mintStoreKey(store);
      const whole = await rows(`from=${DAY}&to=${DAY}&limit=1000`, key);
      const paged = await rows(`from=${DAY}&to=${DAY}&limit=1`, key);
      expect(paged.map((r) => r.event_id)).toEqual(whole.map((r) => r.event_id));
      expect(whole.map((r) => [r.store_id, r.day])).toEqual(Array(count).fill([store, DAY]));
    }
  });

  it("answers 9999-12-31 with no rows and 0001-01-01 with a 400, for every caller, never a 500", async () => {
    const callers: [string, string | null][] = [
      [statsKey, null],
      [await mintStoreKey(east), east],
      [await mintStoreKey(west), west],
    ];
    const out: string[] = [];
    for (const [key, own] of callers) {
      for (const store of [null, west, east, "st_000000000000"]) {
        const extra = store ? `&store_id=${store}` : "";
        // A store key asking for another store is refused as such (routes/store-scope.ts).
        const refused = own !== null && store !== null && store !== own;
        for (const path of ["/v1/hops", "/v1/stats/funnel"]) {
          const last = await call(`${path}?from=9999-12-31&to=9999-12-31${extra}`, { key });
          const first = await call(`${path}?from=0001-01-01&to=0001-01-01${extra}`, { key });
          const body = await last.text();
          await first.text();
          const want = [refused ? 403 : 200, refused ? 403 : 400];
          if (
            [last.status, first.status].join() !== want.join() ||
            (path === "/v1/hops" && !refused && body !== "")
          )
            out.push(
              `${path} ${own} ${store}: ${last.status} ${first.status} ${body.slice(0, 80)}`,
            );
        }
      }
    }
    expect(out).toEqual([]);
  });
});

describe("time_zone spellings and who may set one", () => {
  it("stores each spelling canonical: one name per zone among the zones in use", async () => {
    const spelled: [string, string][] = [
      ["asia/tokyo", TOKYO],
      ["US/Pacific", LA],
      ["Pacific/Samoa", "Pacific/Pago_Pago"],
      ["Etc/UTC", "UTC"],
      ["GMT", "UTC"],
      ["utc", "UTC"],
      ["Etc/GMT0", "UTC"],
      ["Zulu", "UTC"],
    ];
    for (const [given, stored] of spelled) {
      const made = await makeStore("Spelled", { time_zone: given });
      const got = await call(`/v1/stores/${made.id}`, { key: writeKey });
      expect(((await got.json()) as { time_zone: string }).time_zone, given).toBe(stored);
    }
    const kolkata = await makeStore("Kolkata", { time_zone: "Asia/Kolkata" });
    const calcutta = await makeStore("Calcutta", { time_zone: "Asia/Calcutta" });
    const zoneOf = async (id: string) =>
      ((await (await call(`/v1/stores/${id}`, { key: writeKey })).json()) as { time_zone: string })
        .time_zone;
    expect(await zoneOf(kolkata.id)).toBe("Asia/Kolkata"); // IANA's name, not ICU's Asia/Calcutta
    expect(await zoneOf(calcutta.id)).toBe("Asia/Kolkata");
    const inUse = await zonesInUse(testEnv.DB, "UTC");
    expect(inUse.filter((z) => /^(US\/|Etc\/UTC|GMT|Zulu|Pacific\/Samoa)/.test(z))).toEqual([]);
    expect(inUse.filter((z) => z === "UTC")).toEqual(["UTC"]);
  });

  it("a zone past ±14 h or a UTC offset is a 400 naming time_zone", async () => {
    for (const time_zone of ["Etc/GMT+13", "Etc/GMT-15", "+09:00", "UTC+9", "Z"]) {
      const res = await call("/v1/stores", {
        method: "POST",
        key: writeKey,
        json: { name: "Off", time_zone },
      });
      const body = (await res.json()) as { error: string; message: string };
      expect([res.status, body.error, body.message.split(":")[0]], time_zone).toEqual([
        400,
        "validation_failed",
        "time_zone",
      ]);
    }
  });

  it("a store key or a publishable key sets no zone, and adds none to the zones in use", async () => {
    const before = await zonesInUse(testEnv.DB, "UTC");
    const storeKey = await mintStoreKey(moving);
    const publishable = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    for (const key of [storeKey, publishable]) {
      const patched = await call(`/v1/stores/${moving}`, {
        method: "PATCH",
        key,
        json: { time_zone: "Antarctica/Troll" },
      });
      const created = await call("/v1/stores", {
        method: "POST",
        key,
        json: { name: "Sneaky", time_zone: "Antarctica/Troll" },
      });
      expect([patched.status, created.status]).toEqual([403, 403]);
    }
    expect(await zonesInUse(testEnv.DB, "UTC")).toEqual(before);
    const admin = await call(`/v1/stores/${moving}`, { key: ADMIN_KEY });
    expect(((await admin.json()) as { time_zone: string }).time_zone).toBe(TOKYO);
  });
});

describe("the funnel's zone for each filter", () => {
  it("a store key's and a store's default range end at the store's today, at its midnight", async () => {
    const storeKey = await mintStoreKey(moving);
    const before = await atClock(Z("2026-12-06T14:59:59.999Z"), () => funnel("", storeKey));
    const after = await atClock(Z("2026-12-06T15:00:00.000Z"), () => funnel("", storeKey));
    expect([before.time_zone, before.to, after.to]).toEqual([TOKYO, DAY, "2026-12-07"]);
    const byId = await atClock(Z("2026-12-06T15:00:00.000Z"), () => funnel(`store_id=${west}`));
    expect([byId.time_zone, byId.to, byId.time_zones]).toEqual([WEST, "2026-12-06", [WEST]]);
  });

  it("an unknown store is in the deployment's days; a poster in its store's current zone's", async () => {
    const at = Z("2026-12-06T15:00:00.000Z");
    const unknown = await atClock(at, () => funnel("store_id=st_000000000000"));
    expect([unknown.time_zone, unknown.to, unknown.time_zones]).toEqual(["UTC", DAY, ["UTC"]]);
    await setZone(moving, TOKYO);
    const byPoster = await atClock(at, () => funnel(`poster_id=${movingPoster.id}`));
    // 15:00 UTC of Dec 6 is Dec 7 in Tokyo.
    expect([byPoster.time_zone, byPoster.to, byPoster.time_zones]).toEqual([
      TOKYO,
      "2026-12-07",
      [TOKYO],
    ]);
  });
});
