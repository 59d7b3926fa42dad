import { describe, expect, it } from "vitest";
import type { ReplayHops } from "../../src/core/handoff-replay";
import {
  type RedeemCaller,
  type RedemptionFacts,
  redemptionEventId,
  redemptionHops,
} from "../../src/core/redemption-hops";
import { buildHop } from "../../src/store/hops";

const T0 = 1_800_000_000_000;
const DEVICE = {
  platform: "android",
  os: "Android 14",
  browser: null,
  in_app: null,
  country: "NL",
};
const APP: RedeemCaller = {
  platform: "android",
  in_app: null,
  browser: null,
  os: "Android 14",
  bot: false,
};
const KEPT: ReplayHops = {
  country: "NL",
  colo: "AMS",
  referrer_host: null,
  bot: false,
  scanned: true,
};

/** A redemption of a handoff the app opened straight from the QR (the call scanned it too). */
function facts(over: Partial<RedemptionFacts> = {}): RedemptionFacts {
  return {
    id: "8QK3T0M1ZC7X9R2B4N6D",
    scanned: true,
    scan: { device: DEVICE, via: "app" },
    created_at: T0,
    scanned_at: T0 + 4000,
    redeemed_at: T0 + 4000,
    redeemed_via: null,
    replay_hops: null,
    ...over,
  };
}

/** A request from elsewhere (another Referer; in workerd another `cf` too): a later replay. */
const otherRequest = new Request("https://qr.test/v1/resolve", {
  headers: { referer: "https://elsewhere.example/x" },
  cf: { country: "DE", colo: "FRA" },
} as RequestInit);

describe("a redemption recorded before its object kept `replay_hops`", () => {
  it("sends the call's own rows: random ids, the request's facts, as before", async () => {
    const hops = await redemptionHops(facts(), APP);
    expect(hops.map((h) => h.hop)).toEqual(["scanned", "redeemed"]);
    for (const h of hops) {
      expect(h.event_id).toBeUndefined();
      expect(h.at).toBeUndefined();
      expect(h.request_facts).toBeUndefined();
    }
    expect(hops[1]!.detail).toEqual({ via: "direct" });
    const later = await redemptionHops(
      facts({ scanned: false, scan: { device: DEVICE, via: "page" } }),
      APP,
    );
    expect(later.map((h) => [h.hop, h.detail])).toEqual([["redeemed", { via: "page" }]]);
  });
});

describe("a redemption (with a claim or without: the object keeps `replay_hops` for both)", () => {
  it("has once-only ids, one per hop and handoff, the same every time", async () => {
    const [scanned, redeemed] = await redemptionHops(facts({ replay_hops: KEPT }), APP);
    expect(redeemed!.event_id).toBe(await redemptionEventId("8QK3T0M1ZC7X9R2B4N6D", "redeemed"));
    expect(redeemed!.event_id).toMatch(/^ev_[0-9a-f]{32}$/);
    expect(scanned!.event_id).not.toBe(redeemed!.event_id);
    expect(await redemptionEventId("OTHER0HANDOFF0000000", "redeemed")).not.toBe(
      redeemed!.event_id,
    );
  });

  it("a replay, from another caller and another request, builds the very same rows", async () => {
    const first = await redemptionHops(facts({ replay_hops: KEPT }), APP);
    const replay = await redemptionHops(facts({ scanned: false, replay_hops: KEPT }), {
      ...APP,
      bot: true,
      os: "Android 15",
    });
    expect(replay).toEqual(first);
    const rows = (inputs: typeof first, request: Request | null, now: number) =>
      inputs.map((i) => buildHop(i, request, now));
    const sent = rows(first, null, T0 + 4001);
    expect(rows(replay, otherRequest, T0 + 50_000)).toEqual(sent);
    expect(sent.map((r) => [r.hop, r.at, r.country, r.colo, r.ms_since_created])).toEqual([
      ["scanned", T0 + 4000, "NL", "AMS", 4000],
      ["redeemed", T0 + 4000, "NL", "AMS", 4000],
    ]);
  });

  it("sends the scan only when the redeeming call recorded it", async () => {
    const hops = await redemptionHops(
      facts({ scanned: false, replay_hops: { ...KEPT, scanned: false } }),
      APP,
    );
    expect(hops.map((h) => h.hop)).toEqual(["redeemed"]);
  });
});
