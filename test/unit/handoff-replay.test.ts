import { describe, expect, it } from "vitest";
import { alarmTime, EVENT_WINDOW_MS, purgeTime, step } from "../../src/core/handoff";
import { type HandoffRecord, newHandoff } from "../../src/core/handoff-record";
import { canReplay, closeReplayIfDue, REPLAY_WINDOW_MS } from "../../src/core/handoff-replay";

const T0 = 1_800_000_000_000;
const HASH = "a".repeat(64);

function scanned(confirm: "none" | "pc" = "none"): HandoffRecord {
  const rec = newHandoff(
    {
      id: "8QK3T0M1ZC7X9R2B4N6D",
      confirm,
      payload: '{"cart":42}',
      path: "/cart/42",
      metadata: null,
      key_id: "key_abc",
      watch_hash: "0".repeat(64),
      expires_at: T0 + 120_000,
      redeem_window: 900,
    },
    T0,
  );
  const r = step(rec, "scan", T0 + 1000);
  if (!r.ok) throw new Error("scan refused");
  return r.record;
}

function redeem(rec: HandoffRecord, at: number, claimHash?: string): HandoffRecord {
  const r = step(rec, "redeem", at, claimHash ? { claimHash } : {});
  if (!r.ok) throw new Error("redeem refused");
  return r.record;
}

describe("a redemption with a claim", () => {
  const at = T0 + 5000;
  const done = redeem(scanned(), at, HASH);

  it("keeps the payload and the claim's hash until the end of the replay window", () => {
    expect(done).toMatchObject({
      status: "redeemed",
      payload: '{"cart":42}',
      claim_hash: HASH,
      replay_until: at + REPLAY_WINDOW_MS,
    });
    // The window is a short exception inside the record's 24-hour life.
    expect(REPLAY_WINDOW_MS).toBeLessThanOrEqual(EVENT_WINDOW_MS / 60);
  });

  it("keeps what its hops are sent again from, for the window only", () => {
    const hops = { country: "NL", colo: "AMS", referrer_host: null, bot: false, scanned: true };
    const r = step(scanned(), "redeem", at, { claimHash: HASH, replayHops: hops });
    if (!r.ok) throw new Error("redeem refused");
    expect(r.record.replay_hops).toEqual(hops);
    expect(closeReplayIfDue(r.record, at + REPLAY_WINDOW_MS)?.replay_hops).toBeNull();
  });

  it("wakes the object at the end of the window, then at the purge time", () => {
    expect(alarmTime(done)).toBe(at + REPLAY_WINDOW_MS);
    const closed = closeReplayIfDue(done, at + REPLAY_WINDOW_MS)!;
    expect(closed).toMatchObject({ payload: null, replay_until: null, claim_hash: HASH });
    expect(alarmTime(closed)).toBe(purgeTime(closed));
    expect(purgeTime(closed)).toBe(at + EVENT_WINDOW_MS);
  });

  it("is replayable to the same claim only, and only inside the window", () => {
    expect(canReplay(done, HASH, at)).toBe(true);
    expect(canReplay(done, HASH, at + REPLAY_WINDOW_MS - 1)).toBe(true);
    expect(canReplay(done, HASH, at + REPLAY_WINDOW_MS)).toBe(false);
    expect(canReplay(done, "b".repeat(64), at + 1)).toBe(false);
    expect(canReplay(done, null, at + 1)).toBe(false);
  });

  it("closes nothing before its end", () => {
    expect(closeReplayIfDue(done, at + REPLAY_WINDOW_MS - 1)).toBeNull();
  });
});

describe("a redemption without a claim", () => {
  const at = T0 + 5000;
  const hops = { country: "NL", colo: "AMS", referrer_host: null, bot: false, scanned: false };
  const r = step(scanned(), "redeem", at, { replayHops: hops });
  if (!r.ok) throw new Error("redeem refused");
  const done = r.record;

  it("drops the payload at once and has nothing to replay, to any claim", () => {
    expect(done).toMatchObject({ payload: null, claim_hash: null });
    expect(canReplay(done, HASH, at + 1)).toBe(false);
    expect(canReplay(done, null, at + 1)).toBe(false);
  });

  it("keeps what its hops are built from for the window, when the object sends them a last time", () => {
    expect(done).toMatchObject({ replay_until: at + REPLAY_WINDOW_MS, replay_hops: hops });
    expect(alarmTime(done)).toBe(at + REPLAY_WINDOW_MS);
    expect(closeReplayIfDue(done, at + REPLAY_WINDOW_MS - 1)).toBeNull();
    const closed = closeReplayIfDue(done, at + REPLAY_WINDOW_MS)!;
    expect(closed).toMatchObject({ payload: null, replay_until: null, replay_hops: null });
    expect(alarmTime(closed)).toBe(at + EVENT_WINDOW_MS);
  });

  it("a record redeemed with no facts kept (as before them) opens no window", () => {
    const bare = redeem(scanned(), at);
    expect(bare.replay_until ?? null).toBeNull();
    expect(closeReplayIfDue(bare, at + 10 * REPLAY_WINDOW_MS)).toBeNull();
    expect(alarmTime(bare)).toBe(at + EVENT_WINDOW_MS);
  });
});

describe('confirm: "pc"', () => {
  it("the claimant's claim, kept from the claim step, opens the replay of its redemption", () => {
    const claimed = step(scanned("pc"), "claim", T0 + 2000, { claimHash: HASH });
    if (!claimed.ok) throw new Error("claim refused");
    // Before the redemption there is nothing to replay, whatever the claim.
    expect(canReplay(claimed.record, HASH, T0 + 2001)).toBe(false);
    const approved = step(claimed.record, "approve", T0 + 3000);
    if (!approved.ok) throw new Error("approve refused");
    const done = redeem(approved.record, T0 + 4000, HASH);
    expect(canReplay(done, HASH, T0 + 4001)).toBe(true);
    expect(done.payload).toBe('{"cart":42}');
  });
});
