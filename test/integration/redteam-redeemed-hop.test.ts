// Red team: a redemption is counted exactly once, even when the Worker that answered it never
// sent its hops (core/redemption-hops.ts). The Worker's isolate dies between the object's commit
// and the send (here: its queue, spool and database all refuse for that one request), the app
// asks again with its claim and gets the replay, which sends the same once-only rows: one
// `redeemed` hop counted, one webhook. The "double count" attack is the same replay when the
// first send did arrive, alone or 20 at once; a stranger without the claim sends nothing. A
// redemption without a claim, and QR login's steps: redteam-never-lost*.test.ts.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { createHandoff, decide, handoffStub } from "./handoffs-helpers";
import { statusTally } from "./helpers";
import { eventually, runQueue } from "./hop-helpers";
import { app, consume, exported, redemptionWatchForFile, resolveReq } from "./never-lost-helpers";
import { receiver } from "./webhooks-helpers";

const CLAIM = "app-claim_Rk7Zq2Lm9Xw4Vb8Nc1Td";

const { key: keyOf, setUp, expectCountedOnce } = redemptionWatchForFile();

describe("the redemption's send was lost with its isolate", () => {
  it("the app's retry with its claim sends the hops again: one redeemed hop counted, one webhook", async () => {
    const h = await setUp();
    const dead = app({ dead: true });
    const first = await dead.send(resolveReq(h, { claim: CLAIM }));
    expect(first.status).toBe(200);
    expect(dead.taken).toHaveLength(0);
    expect(await exported(keyOf(), h.id, "redeemed")).toBe(0);

    // The answer was lost too (the isolate died): the app client asks again with its claim.
    const retry = app();
    const again = await retry.send(resolveReq(h, { claim: CLAIM, ip: "203.0.113.99" }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    await consume(retry.taken);
    await expectCountedOnce(h);
    // Counted as the redemption happened: at its time, from its request (not the retry's).
    const [scanned, redeemed] = retry.rows();
    const record = (await runInDurableObject(handoffStub(h.id), (_o, state) =>
      state.storage.kv.get<HandoffRecord>("handoff"),
    ))!;
    expect(redeemed).toMatchObject({ hop: "redeemed", at: record.redeemed_at, colo: "AMS" });
    expect(scanned).toMatchObject({ hop: "scanned", at: record.scanned_at, country: "NL" });
  });

  it('confirm: "pc": the claimant\'s lost redemption is made good by its retry; the scan, sent by its claim call, stays one', async () => {
    receiver(200);
    const h = await createHandoff(keyOf(), { payload: { session: "s-43" }, confirm: "pc" });
    const phone = app();
    expect((await phone.send(resolveReq(h, { claim: CLAIM }))).status).toBe(202);
    expect((await decide(h, "approve")).status).toBe(200);
    expect((await app({ dead: true }).send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
    const retry = app();
    expect((await retry.send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
    // The retry re-sends the redemption alone: its scan was the claim call's, already sent.
    expect(retry.rows().map((r) => r.hop)).toEqual(["redeemed"]);
    await consume([...phone.taken, ...retry.taken]);
    expect(await exported(keyOf(), h.id, "redeemed")).toBe(1);
    expect(await exported(keyOf(), h.id, "scanned")).toBe(1);
  });

  it("with no retry at all, the object sends them when the replay window closes: counted once", async () => {
    const h = await setUp();
    expect((await app({ dead: true }).send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
    await runInDurableObject(handoffStub(h.id), (_o, state) => {
      const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
      rec.replay_until = Date.now() - 1;
      state.storage.kv.put("handoff", rec);
    });
    await evictDurableObject(handoffStub(h.id));
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    // The object sends through the real queue; its consumer counts them.
    await eventually(
      async () => (await exported(keyOf(), h.id, "redeemed")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h);
    const record = await runInDurableObject(handoffStub(h.id), (_o, state) =>
      state.storage.kv.get<HandoffRecord>("handoff"),
    );
    expect(record).toMatchObject({ replay_until: null, replay_hops: null, payload: null });
  });
});

describe("the double count: the first send arrived, and the replays send again", () => {
  it("one replay, its copy counted first or second: one redeemed hop, one webhook", async () => {
    for (const order of ["sent order", "reversed"] as const) {
      const h = await setUp();
      const phone = app();
      expect((await phone.send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
      expect((await phone.send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
      expect(phone.taken).toHaveLength(2);
      // Two copies of the same rows, under once-only ids.
      expect(phone.taken[1]!.body.rows).toEqual(phone.taken[0]!.body.rows);
      await consume(order === "reversed" ? [...phone.taken].reverse() : phone.taken);
      await expectCountedOnce(h);
    }
  });

  it("20 replays at once, their copies counted by concurrent consumers: one redeemed hop, one webhook", async () => {
    const h = await setUp();
    const phone = app();
    expect((await phone.send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
    const replays = await Promise.all(
      Array.from({ length: 20 }, () => phone.send(resolveReq(h, { claim: CLAIM }))),
    );
    expect(statusTally(replays)).toEqual({ 200: 20 });
    expect(phone.taken).toHaveLength(21);
    // Three consumers at the same moment, each with a batch of seven copies.
    const batches = [0, 1, 2].map((i) => phone.taken.slice(i * 7, i * 7 + 7));
    const results = await Promise.all(batches.map((b) => runQueue("qrbridge-hops", b)));
    for (const r of results) expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
    await expectCountedOnce(h);
  });
});

describe("a stranger with the QR but not the claim", () => {
  it("no claim or a wrong claim: 409, and nothing is sent", async () => {
    const h = await setUp();
    expect((await app().send(resolveReq(h, { claim: CLAIM }))).status).toBe(200);
    const stranger = app();
    const answers = await Promise.all([
      stranger.send(resolveReq(h, { ip: "192.0.2.1" })),
      stranger.send(resolveReq(h, { claim: "a-guessed-claim-000000000", ip: "192.0.2.2" })),
      stranger.send(resolveReq(h, { claim: CLAIM.toUpperCase(), ip: "192.0.2.3" })),
    ]);
    expect(statusTally(answers)).toEqual({ 409: 3 });
    expect(stranger.taken).toHaveLength(0);
  });
});
