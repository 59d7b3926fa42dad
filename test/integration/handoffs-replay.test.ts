// The lost redeem answer (core/handoff-replay.ts): an app that sent a claim with the call that
// redeemed a handoff, and never got the 200, asks again with the same claim and gets the same
// answer — same payload, same working events credential — counted once. Without a claim,
// nothing changed: the payload is dropped at once.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createAppClient } from "../../src/client/app";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { REPLAY_WINDOW_MS } from "../../src/core/handoff-replay";
import { sha256Hex } from "../../src/core/hash";
import { LIMITS } from "../../src/limits";
import { ResolvedLink } from "../../src/routes/resolve";
import { expectMatches } from "./contract-helpers";
import {
  ANDROID_APP_UA,
  createHandoff,
  decide,
  exportedHops,
  handoffStub,
  resolve,
  signedToken,
  status,
} from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";

const CLAIM = "Hx3_app-chosen-claim-9QmZk2";

/** The stored record and the armed alarm of handoff `id`, as the object persisted them. */
function stored(id: string) {
  return runInDurableObject(handoffStub(id), async (_o, state) => ({
    record: state.storage.kv.get<HandoffRecord>("handoff")!,
    alarm: await state.storage.getAlarm(),
  }));
}

describe("the app lost the 200 of its redeem", () => {
  it("its retry with the same claim gets the same answer, a working session, one redeemed hop", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, {
      payload: { cart: "c_42" },
      path: "/cart/42",
      metadata: { title: "Your cart" },
    });
    const first = await resolve(h.url, { claim: CLAIM });
    expect(first.status).toBe(200);
    const answer = expectMatches(ResolvedLink, await first.json());

    // Kept for the window only: the alarm is armed at its end, the claim stored as a hash.
    const { record, alarm } = await stored(h.id);
    expect(record.payload).toBe('{"cart":"c_42"}');
    expect(record.claim_hash).toBe(await sha256Hex(CLAIM));
    expect(record.replay_until).toBe(record.redeemed_at! + REPLAY_WINDOW_MS);
    expect(alarm).toBe(record.replay_until);

    const again = await resolve(h.url, { claim: CLAIM });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);
    expect((await status(h)).status).toBe("redeemed");

    const open = await call("/v1/events", {
      method: "POST",
      json: { session: (answer as { session: string }).session, type: "app_open" },
      headers: { "user-agent": ANDROID_APP_UA },
    });
    expect(open.status).toBe(202);
    const hops = (await exportedHops(key, h.id, ["redeemed", "app_open"])).map((r) => r.hop);
    expect(hops.filter((hop) => hop === "redeemed")).toHaveLength(1);
    expect(hops.filter((hop) => hop === "scanned")).toHaveLength(1);
  });

  it("the app client end to end: the bridge answered, the network lost it, the retry gets it", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { cart: "lost" } });
    let calls = 0;
    const client = createAppClient({
      baseUrl: "https://qr.test",
      headers: { "user-agent": ANDROID_APP_UA },
      // The first call reaches the bridge and redeems; its answer never reaches the app.
      fetch: async (url, init) => {
        const res = await call(String(url), init);
        if (++calls === 1) throw new TypeError("Network request failed");
        return res;
      },
    });
    const r = await client.resolve(h.url);
    expect(r).toMatchObject({ kind: "handoff", id: h.id, payload: { cart: "lost" } });
    expect(calls).toBe(2);
    expect((await status(h)).status).toBe("redeemed");
  });

  it("without a claim the payload is dropped at once and no later claim gets it", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { cart: 1 } });
    expect((await resolve(h.url)).status).toBe(200);
    const { record, alarm } = await stored(h.id);
    expect(record).toMatchObject({ status: "redeemed", payload: null, claim_hash: null });
    // The window still opens, for the object's last send of the hops, not for a replay.
    expect(record.replay_until).toBe(record.redeemed_at! + REPLAY_WINDOW_MS);
    expect(alarm).toBe(record.replay_until);
    const late = await resolve(h.url, { claim: CLAIM });
    expect(late.status).toBe(409);
    expect(await late.text()).not.toContain("cart");
  });

  it('confirm: "pc": the claimant\'s retry after its redemption gets the same 200', async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc", payload: { user: 9 } });
    expect((await resolve(h.url, { claim: CLAIM })).status).toBe(202);
    expect((await decide(h, "approve")).status).toBe(200);
    const done = await resolve(h.url, { claim: CLAIM });
    expect(done.status).toBe(200);
    const answer = (await done.json()) as { payload: unknown; session: string };
    expect(answer.payload).toEqual({ user: 9 });
    const again = await resolve(h.url, { claim: CLAIM });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);
    expect((await resolve(h.url)).status).toBe(409);
  });
});

describe("a redemption at the last moment of the redeem window", () => {
  it("its redeemer's retry past the window still reaches the object and gets the answer", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { cart: "late" } });
    expect((await resolve(h.url, { claim: CLAIM })).status).toBe(200);
    // The same handoff's link as it reads once its token and redeem window have both passed
    // (the route answers such a link without asking the object), while the object's replay
    // window, which began at the redemption, is still open.
    const now = Math.floor(Date.now() / 1000);
    const late = await signedToken(now - LIMITS.redeemWindowSeconds.default - 1, h.id);
    const url = h.url.slice(0, h.url.lastIndexOf("/") + 1) + late;

    const retry = await resolve(url, { claim: CLAIM });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ id: h.id, payload: { cart: "late" } });
    // Without the claim nothing is asked of the object: the link has expired.
    expect((await resolve(url)).status).toBe(410);
  });
});
