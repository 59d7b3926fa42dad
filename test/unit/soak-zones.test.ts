// The soak's ledger (bench/soak-ledger.mjs, bench/soak-zones.mjs) is the truth the whole product
// is checked against, so its days must be right on their own: a hop counts on its poster's
// store's local day (else the deployment's), a hop answered as its zone's midnight or a change
// of its store's zone passed may be on either day (and is checked as such, not guessed), and an
// exported row's day is checked against its own `at`. The clock is set, never read.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Ledger } from "../../bench/soak-ledger.mjs";
import {
  checkExportDays,
  midnightZone,
  nextMidnight,
  playStory,
  StoreZones,
  story,
  zonedDay,
} from "../../bench/soak-zones.mjs";

const at = (iso: string) => Date.parse(iso);

describe("zonedDay", () => {
  it("turns the day at each zone's own midnight: +5:30, +14, −11", () => {
    expect(zonedDay(at("2026-12-07T18:29:59.999Z"), "Asia/Kolkata")).toBe("2026-12-07");
    expect(zonedDay(at("2026-12-07T18:30:00Z"), "Asia/Kolkata")).toBe("2026-12-08");
    expect(zonedDay(at("2026-12-07T09:59:59Z"), "Pacific/Kiritimati")).toBe("2026-12-07");
    expect(zonedDay(at("2026-12-07T10:00:00Z"), "Pacific/Kiritimati")).toBe("2026-12-08");
    expect(zonedDay(at("2026-12-08T10:59:59Z"), "Pacific/Pago_Pago")).toBe("2026-12-07");
    expect(zonedDay(at("2026-12-08T11:00:00Z"), "UTC")).toBe("2026-12-08");
  });
});

describe("midnightZone and nextMidnight", () => {
  it("find the zone whose midnight falls in a window, and when, to the second", () => {
    expect(midnightZone(at("2026-12-07T18:29:00Z"), at("2026-12-07T18:31:00Z"))).toBe(
      "Asia/Kolkata",
    );
    expect(midnightZone(at("2026-12-07T18:31:00Z"), at("2026-12-07T18:44:00Z"))).toBeNull();
    expect(new Date(nextMidnight(at("2026-12-07T18:20:00Z"))).toISOString()).toBe(
      "2026-12-07T18:30:00.000Z",
    );
    expect(
      new Date(nextMidnight(at("2026-12-07T18:20:00Z"), "Pacific/Pago_Pago")).toISOString(),
    ).toBe("2026-12-08T11:00:00.000Z");
  });
});

describe("StoreZones", () => {
  it("gives both zones to the window a change was in flight, one before and after", () => {
    const z = new StoreZones();
    z.set("st", "Pacific/Kiritimati");
    z.set("st", "Pacific/Pago_Pago", 100, 110);
    expect(z.zonesDuring("st", 0, 99)).toEqual(["Pacific/Kiritimati"]);
    expect(z.zonesDuring("st", 90, 100)).toEqual(["Pacific/Kiritimati", "Pacific/Pago_Pago"]);
    expect(z.zonesDuring("st", 109, 200)).toEqual(["Pacific/Kiritimati", "Pacific/Pago_Pago"]);
    expect(z.zonesDuring("st", 110, 200)).toEqual(["Pacific/Pago_Pago"]);
    expect([z.zoneAt("st", 50), z.zoneAt("st", 105), z.zoneAt("st", 110)]).toEqual([
      "Pacific/Kiritimati",
      null,
      "Pacific/Pago_Pago",
    ]);
    expect(z.zonesDuring(null, 0, 200)).toEqual(["UTC"]);
    expect(z.zonesInUse()).toEqual(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]);
  });
});

describe("the ledger's day of a hop", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
  afterEach(() => vi.useRealTimers());

  /** Record one hop of `store` proved by a call sent at `sent` and answered at `answered`. */
  const hopAt = (ledger: Ledger, store: string | null, sent: string, answered: string) =>
    playStory(async () => {
      const ctx = story.getStore();
      if (ctx) ctx.since = at(sent);
      vi.setSystemTime(at(answered));
      ledger.hop({ kind: "poster", hop: "scanned", store_id: store, ip: "198.18.0.1" });
    });

  it("is its store's local day, or the deployment's without a store", async () => {
    const zones = new StoreZones();
    zones.set("tokyo", "Asia/Tokyo");
    const ledger = new Ledger(zones);
    await hopAt(ledger, "tokyo", "2026-12-07T16:00:00Z", "2026-12-07T16:00:01Z");
    await hopAt(ledger, null, "2026-12-07T16:00:00Z", "2026-12-07T16:00:01Z");
    expect(ledger.hops.map((h) => [h.day, h.maybe])).toEqual([
      ["2026-12-08", null],
      ["2026-12-07", null],
    ]);
    expect([...ledger.funnel("day").keys()].sort()).toEqual(["2026-12-07", "2026-12-08"]);
  });

  it("may be either day when its zone's midnight passed while it was answered", async () => {
    const zones = new StoreZones();
    zones.set("delhi", "Asia/Kolkata");
    const ledger = new Ledger(zones);
    await hopAt(ledger, "delhi", "2026-12-07T18:29:59.900Z", "2026-12-07T18:30:00.100Z");
    await hopAt(ledger, "delhi", "2026-12-07T18:30:00.200Z", "2026-12-07T18:30:00.300Z");
    expect(ledger.hops.map((h) => h.maybe)).toEqual([["2026-12-07", "2026-12-08"], null]);
    expect(ledger.unsure).toBe(1);
    const byDay = ledger.funnel("day");
    expect(byDay.get("2026-12-07")).toMatchObject({ scanned: 0, extra: { scanned: 1 } });
    expect(byDay.get("2026-12-08")).toMatchObject({ scanned: 1, extra: { scanned: 1 } });
    // By store the hop is certain: one store, two scans.
    expect(ledger.funnel("store").get("delhi")).toMatchObject({ scanned: 2 });
  });

  it("may be the next day when an alarm records it late, past the deployment's midnight", async () => {
    const ledger = new Ledger(new StoreZones());
    await playStory(async () => {
      vi.setSystemTime(at("2026-12-07T23:59:00Z"));
      ledger.hop({ kind: "login", hop: "created" });
      ledger.hop({ kind: "login", hop: "expired", late: 90_000 });
    });
    expect(ledger.hops.map((h) => [h.day, h.maybe])).toEqual([
      ["2026-12-07", null],
      ["2026-12-08", ["2026-12-07", "2026-12-08"]],
    ]);
  });

  it("may be either zone's day while its store's zone changed, then the new zone's", async () => {
    const zones = new StoreZones();
    zones.set("moved", "Pacific/Kiritimati");
    zones.set("moved", "Pacific/Pago_Pago", at("2026-12-07T17:00:00Z"), at("2026-12-07T17:00:01Z"));
    const ledger = new Ledger(zones);
    await hopAt(ledger, "moved", "2026-12-07T16:59:59Z", "2026-12-07T17:00:00.500Z");
    await hopAt(ledger, "moved", "2026-12-07T17:00:01Z", "2026-12-07T17:00:02Z");
    expect(ledger.hops.map((h) => [h.day, h.maybe])).toEqual([
      ["2026-12-07", ["2026-12-07", "2026-12-08"]],
      ["2026-12-07", null],
    ]);
  });
});

describe("checkExportDays", () => {
  it("flags a row filed off its store's day, and leaves a change's window unsure", () => {
    const zones = new StoreZones();
    zones.set("tokyo", "Asia/Tokyo");
    zones.set("moved", "Pacific/Kiritimati");
    zones.set("moved", "Pacific/Pago_Pago", 1000, 2000);
    const posters = new Map<string, string | null>([
      ["P1", "tokyo"],
      ["P2", "moved"],
      ["P3", null],
    ]);
    const t = at("2026-12-07T16:00:00Z");
    const row = (event_id: string, poster_id: string | null, when: number, day: string) => ({
      event_id,
      poster_id,
      at: when,
      day,
    });
    const { mismatches, unsure } = checkExportDays(
      [
        row("ok-tokyo", "P1", t, "2026-12-08"),
        row("utc-day", "P1", t, "2026-12-07"),
        row("ok-none", "P3", t, "2026-12-07"),
        row("in-change", "P2", 1500, "1970-01-02"),
        row("old-zone-after", "P2", 2500, "1970-01-02"),
        row("ok-new-zone", "P2", 2500, "1969-12-31"),
      ],
      posters,
      zones,
    );
    expect(unsure).toBe(1);
    expect(mismatches.map((m) => m.split(":")[0])).toEqual([
      "export utc-day",
      "export old-zone-after",
    ]);
  });
});
