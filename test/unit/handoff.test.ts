import { describe, expect, it } from "vitest";
import {
  alarmTime,
  EVENT_WINDOW_MS,
  expireIfDue,
  expiryOf,
  type HandoffEvent,
  isRepeatedDecision,
  isTerminal,
  nextStatus,
  PURGE_GRACE_MS,
  purgeTime,
  step,
  TERMINAL_STATUSES,
} from "../../src/core/handoff";
import { jsonBytes, metadataProblem } from "../../src/core/handoff-input";
import { HANDOFF_STATUSES, type HandoffRecord, newHandoff } from "../../src/core/handoff-record";

const T0 = 1_800_000_000_000;
const device = { platform: "ios", os: "iOS 17.4", browser: "Safari", in_app: null, country: "DE" };

function fresh(over: Partial<Parameters<typeof newHandoff>[0]> = {}): HandoffRecord {
  return newHandoff(
    {
      id: "8QK3T0M1ZC7X9R2B4N6D",
      confirm: "none",
      payload: '{"cart":42}',
      path: "/cart/42",
      metadata: { title: "Your cart" },
      key_id: "key_abc",
      watch_hash: "0".repeat(64),
      expires_at: T0 + 120_000,
      redeem_window: 900,
      ...over,
    },
    T0,
  );
}

function run(rec: HandoffRecord, events: HandoffEvent[], at = T0 + 1000): HandoffRecord {
  let r = rec;
  for (const e of events) {
    const s = step(r, e, at);
    if (!s.ok) throw new Error(`${e} refused from ${r.status}`);
    r = s.record;
  }
  return r;
}

describe("transitions", () => {
  it("follows the happy paths of both confirm modes", () => {
    expect(run(fresh(), ["scan", "redeem"]).status).toBe("redeemed");
    expect(run(fresh({ confirm: "pc" }), ["scan", "claim", "approve", "redeem"]).status).toBe(
      "redeemed",
    );
    expect(run(fresh({ confirm: "pc" }), ["scan", "claim", "deny"]).status).toBe("denied");
  });

  it("never leaves a terminal state", () => {
    const events: HandoffEvent[] = [
      "scan",
      "claim",
      "approve",
      "deny",
      "redeem",
      "cancel",
      "expire",
    ];
    for (const status of TERMINAL_STATUSES) {
      for (const e of events) expect(nextStatus(status, e)).toBeNull();
      expect(isTerminal(status)).toBe(true);
    }
    expect(HANDOFF_STATUSES.filter((s) => !isTerminal(s))).toEqual([
      "pending",
      "scanned",
      "awaiting_confirmation",
      "approved",
    ]);
  });

  it("refuses redeeming an unscanned or unapproved handoff, and a second redeem", () => {
    expect(step(fresh(), "redeem", T0).ok).toBe(false);
    const awaiting = run(fresh({ confirm: "pc" }), ["scan", "claim"]);
    expect(step(awaiting, "redeem", T0 + 2000)).toEqual({
      ok: false,
      status: "awaiting_confirmation",
    });
    const done = run(fresh(), ["scan", "redeem"]);
    expect(step(done, "redeem", T0 + 2000)).toEqual({ ok: false, status: "redeemed" });
  });

  it("every live state can be cancelled or expired", () => {
    for (const path of [
      [],
      ["scan"],
      ["scan", "claim"],
      ["scan", "claim", "approve"],
    ] as HandoffEvent[][]) {
      const rec = run(fresh({ confirm: "pc" }), path);
      expect(step(rec, "cancel", T0 + 2000).ok).toBe(true);
      expect(step(rec, "expire", T0 + 2000).ok).toBe(true);
    }
  });

  it("records times, the device and the claim, and does not mutate its input", () => {
    const rec = fresh({ confirm: "pc" });
    const scanned = step(rec, "scan", T0 + 5000, { device, via: "app" });
    expect(rec.status).toBe("pending");
    if (!scanned.ok) throw new Error("refused");
    expect(scanned.record).toMatchObject({
      status: "scanned",
      scanned_at: T0 + 5000,
      scanned_via: "app",
      device,
      changed_at: T0 + 5000,
      ended_at: null,
    });
    const claimed = step(scanned.record, "claim", T0 + 6000, { claimHash: "h" });
    expect(claimed.ok && claimed.record.claim_hash).toBe("h");
    const redeemed = run(fresh(), ["scan", "redeem"], T0 + 7000);
    expect(redeemed.redeemed_at).toBe(T0 + 7000);
    expect(redeemed.ended_at).toBe(T0 + 7000);
  });
});

describe("deadlines", () => {
  it("a pending handoff expires with its token", () => {
    const rec = fresh();
    expect(expiryOf(rec)).toBe(T0 + 120_000);
    expect(expireIfDue(rec, T0 + 119_999)).toBeNull();
    const expired = expireIfDue(rec, T0 + 120_000);
    expect(expired?.status).toBe("expired");
    expect(expired?.ended_at).toBe(T0 + 120_000);
  });

  it("a scanned handoff stays redeemable for the redeem window, never less than the ttl", () => {
    const early = run(fresh(), ["scan"], T0 + 1000);
    expect(expiryOf(early)).toBe(T0 + 1000 + 900_000);
    const shortWindow = run(fresh({ redeem_window: 30 }), ["scan"], T0 + 1000);
    expect(expiryOf(shortWindow)).toBe(T0 + 120_000);
    // Past the token's expiry but inside the window: still redeemable.
    const late = T0 + 600_000;
    expect(step(early, "redeem", late).ok).toBe(true);
    expect(step(early, "redeem", T0 + 1000 + 900_000)).toEqual({ ok: false, status: "scanned" });
    expect(expireIfDue(early, T0 + 1000 + 900_000)?.status).toBe("expired");
  });

  it("no event but expire is accepted once the deadline has passed", () => {
    expect(step(fresh(), "scan", T0 + 120_000).ok).toBe(false);
    expect(step(fresh(), "cancel", T0 + 120_001).ok).toBe(false);
  });

  it("alarms at the expiry, then at the purge time once ended", () => {
    const rec = fresh();
    expect(alarmTime(rec)).toBe(T0 + 120_000);
    const cancelled = run(rec, ["scan", "cancel"], T0 + 3000);
    expect(expiryOf(cancelled)).toBeNull();
    expect(alarmTime(cancelled)).toBe(T0 + 3000 + PURGE_GRACE_MS);
  });

  it("keeps a redeemed handoff for its event window, without its payload", () => {
    const done = run(fresh(), ["scan", "redeem"], T0 + 3000);
    expect(alarmTime(done)).toBe(T0 + 3000 + EVENT_WINDOW_MS);
    expect(purgeTime(done)).toBe(T0 + 3000 + EVENT_WINDOW_MS);
    expect(done.payload).toBeNull();
  });

  it("remembers the device of the scan when a claimant replaces the device shown to the PC", () => {
    const phone = { ...device, platform: "android", browser: "Chrome" };
    const scanned = step(fresh({ confirm: "pc" }), "scan", T0 + 1000, { device, via: "page" });
    if (!scanned.ok) throw new Error("scan refused");
    const claimed = step(scanned.record, "claim", T0 + 2000, { device: phone, claimHash: "h" });
    if (!claimed.ok) throw new Error("claim refused");
    expect(claimed.record).toMatchObject({ device: phone, scan_device: device });
  });
});

describe("input checks", () => {
  it("measures payloads in UTF-8 bytes of their JSON", () => {
    expect(jsonBytes({ a: "é" })).toBe(10);
    expect(jsonBytes(undefined)).toBe(0);
  });

  it("keeps metadata small and string-valued", () => {
    expect(metadataProblem({ title: "Cart", subtitle: "3 items" })).toBeNull();
    expect(metadataProblem({ n: 3 })).toMatch(/string/);
    expect(metadataProblem({ "bad key": "x" })).toMatch(/key/);
    expect(metadataProblem({ t: "x".repeat(501) })).toMatch(/longer/);
    expect(
      metadataProblem(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]))),
    ).toMatch(/16/);
  });
});

describe("isRepeatedDecision", () => {
  const pc = () => run(fresh({ confirm: "pc" }), ["scan", "claim"]);
  it("is the same decision again: approve once approved (or redeemed since), deny once denied", () => {
    expect(isRepeatedDecision(run(pc(), ["approve"]), "approve")).toBe(true);
    expect(isRepeatedDecision(run(pc(), ["approve", "redeem"]), "approve")).toBe(true);
    expect(isRepeatedDecision(run(pc(), ["deny"]), "deny")).toBe(true);
  });

  it("is not a conflicting decision, a first one, or one on a handoff that has ended otherwise", () => {
    expect(isRepeatedDecision(run(pc(), ["approve"]), "deny")).toBe(false);
    expect(isRepeatedDecision(run(pc(), ["deny"]), "approve")).toBe(false);
    expect(isRepeatedDecision(pc(), "approve")).toBe(false);
    expect(isRepeatedDecision(pc(), "deny")).toBe(false);
    expect(isRepeatedDecision(run(pc(), ["approve", "cancel"]), "approve")).toBe(false);
    expect(isRepeatedDecision(run(pc(), ["approve", "expire"]), "approve")).toBe(false);
    // Redeemed without an approval (confirm: "none"): no decision was ever made.
    expect(isRepeatedDecision(run(fresh(), ["scan", "redeem"]), "approve")).toBe(false);
  });
});
