// A handoff's once-only step hops (core/handoff-hops.ts): the landing page's scan with its
// landing, a claim call's scan, the PC's decision — the same rows whoever sends them, built from
// the record alone, one id per handoff and hop, shared with the redemption's.
import { describe, expect, it } from "vitest";
import { step } from "../../src/core/handoff";
import { handoffEventId, handoffStepHops, keptHandoffHops } from "../../src/core/handoff-hops";
import { type HandoffRecord, newHandoff } from "../../src/core/handoff-record";
import { closeReplayIfDue } from "../../src/core/handoff-replay";
import { redemptionEventId } from "../../src/core/redemption-hops";

const T0 = 1_800_000_000_000;
const ID = "8QK3T0M1ZC7X9R2B4N6D";
const phone = {
  platform: "ios",
  os: "iOS 17.4",
  browser: "Safari",
  in_app: "instagram",
  country: "DE",
};
const PAGE = { country: "DE", colo: "TXL", referrer_host: null, via: "same_device", bot: false };
const PC = { country: "FR", colo: "CDG", referrer_host: "shop.test", via: null, bot: false };

function fresh(confirm: "none" | "pc"): HandoffRecord {
  const input = { id: ID, confirm, payload: null, path: "/cart", metadata: null, key_id: "key_x" };
  return newHandoff(
    { ...input, watch_hash: "w", expires_at: T0 + 120_000, redeem_window: 900 },
    T0,
  );
}

function go(rec: HandoffRecord, event: Parameters<typeof step>[1], at: number, extra = {}) {
  const r = step(rec, event, at, extra);
  if (!r.ok) throw new Error(`${event} refused`);
  return r.record;
}

const pageScanned = go(fresh("none"), "scan", T0 + 1000, {
  device: phone,
  via: "page",
  hopFacts: PAGE,
});

describe("a handoff's step hops", () => {
  it("the landing page's scan: `scanned` and `landing`, the phone's device, the kept facts, at the scan", async () => {
    const hops = await handoffStepHops(pageScanned, "scanned");
    const common = {
      kind: "handoff",
      subject_id: ID,
      created_at: T0,
      at: T0 + 1000,
      bot: false,
      request_facts: { country: "DE", colo: "TXL", referrer_host: null },
      platform: "ios",
      in_app: "instagram",
    };
    expect(hops).toEqual([
      {
        ...common,
        hop: "scanned",
        event_id: await handoffEventId(ID, "scanned"),
        detail: { via: "same_device", browser: "Safari", os: "iOS 17.4" },
      },
      { ...common, hop: "landing", event_id: await handoffEventId(ID, "landing") },
    ]);
    // Built again later (the object's last send): the same rows.
    expect(await keptHandoffHops(pageScanned)).toEqual(hops);
  });

  it("a claim call's scan (the app opened straight from the QR): `scanned` alone, its via and bot flag", async () => {
    const facts = { ...PAGE, via: "direct", bot: true };
    const rec = go(fresh("pc"), "scan", T0 + 1000, { device: phone, via: "app", hopFacts: facts });
    const claimed = go(rec, "claim", T0 + 1000, { device: phone, claimHash: "h" });
    const hops = await handoffStepHops(claimed, "scanned");
    expect(hops.map((h) => [h.hop, h.bot, h.detail?.via])).toEqual([["scanned", true, "direct"]]);
    // The redemption's own scan hop would have had the same id: a handoff is scanned once.
    expect(hops[0]!.event_id).toBe(await redemptionEventId(ID, "scanned"));
  });

  it("the PC's approval and denial, from the deciding request's facts", async () => {
    const awaiting = go(
      go(fresh("pc"), "scan", T0 + 1000, { device: phone, via: "page", hopFacts: PAGE }),
      "claim",
      T0 + 2000,
      { device: phone, claimHash: "h" },
    );
    const approved = go(awaiting, "approve", T0 + 3000, { hopFacts: PC });
    const denied = go(awaiting, "deny", T0 + 3000, { hopFacts: PC });
    const [a] = await handoffStepHops(approved, "approved");
    expect(a).toEqual({
      kind: "handoff",
      subject_id: ID,
      hop: "approved",
      created_at: T0,
      at: T0 + 3000,
      bot: false,
      request_facts: { country: "FR", colo: "CDG", referrer_host: "shop.test" },
      event_id: await handoffEventId(ID, "approved"),
    });
    expect((await keptHandoffHops(denied)).map((h) => h.hop)).toEqual([
      "scanned",
      "landing",
      "denied",
    ]);
    expect(await handoffStepHops(approved, "denied")).toEqual([]);
  });

  it("the cancel: its hop at the end, from its request's facts; none for a handoff that ended otherwise", async () => {
    const cancelled = go(pageScanned, "cancel", T0 + 4000, { hopFacts: PC });
    const hops = await keptHandoffHops(cancelled);
    expect(hops.map((h) => [h.hop, h.at])).toEqual([
      ["scanned", T0 + 1000],
      ["landing", T0 + 1000],
      ["cancelled", T0 + 4000],
    ]);
    expect(hops[2]!.event_id).toBe(await handoffEventId(ID, "cancelled"));
    const expired = go(pageScanned, "expire", T0 + 4000, { hopFacts: PC });
    expect(await handoffStepHops(expired, "cancelled")).toEqual([]);
  });

  it("nothing kept, nothing built: a record older than `hop_facts`, a step it did not go through", async () => {
    const old = go(fresh("none"), "scan", T0 + 1000, { device: phone, via: "page" });
    expect(await keptHandoffHops(old)).toEqual([]);
    expect(await handoffStepHops(pageScanned, "approved")).toEqual([]);
  });

  it("the ids: one per handoff and hop", async () => {
    const ids = await Promise.all(
      (["scanned", "landing", "approved", "denied", "cancelled", "redeemed"] as const).map((h) =>
        handoffEventId(ID, h),
      ),
    );
    expect(new Set(ids).size).toBe(6);
    expect(await handoffEventId("OTHER0HANDOFF0000000", "landing")).not.toBe(ids[1]);
  });

  it("the replay window's close drops the kept facts with the redemption's: their last send was then", () => {
    const redeemed = go(pageScanned, "redeem", T0 + 2000, {
      replayHops: { country: "DE", colo: "TXL", referrer_host: null, bot: false, scanned: false },
    });
    expect(redeemed.hop_facts?.scanned).toEqual(PAGE);
    const closed = closeReplayIfDue(redeemed, T0 + 2000 + 60_000);
    expect(closed?.hop_facts).toBeNull();
  });
});
