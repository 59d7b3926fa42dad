// Red team: a redemption WITHOUT a claim (an app not using the app client) is counted exactly
// once even when the Worker that answered it never sent its hops: the isolate dies between the
// object's commit and its send (here: its queue, spool and database all refuse for that one
// request), no replay can follow (there is no claim), and the handoff's object sends the same
// once-only rows when its replay window closes. The "double count" attack is that last send
// when the first did arrive, counted by concurrent consumers; a stranger's calls send nothing.
// QR login's steps: redteam-never-lost-logins.test.ts.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { handoffStub } from "./handoffs-helpers";
import { statusTally } from "./helpers";
import { eventually, runQueue } from "./hop-helpers";
import {
  app,
  exported,
  type Message,
  redemptionWatchForFile,
  resolveReq,
} from "./never-lost-helpers";

const { key: keyOf, setUp, expectCountedOnce } = redemptionWatchForFile();

const stored = (id: string) =>
  runInDurableObject(handoffStub(id), (_o, state) =>
    state.storage.kv.get<HandoffRecord>("handoff"),
  );

/** Move the replay window's end to the past, as time passing would (and drop the memory copy). */
async function windowOver(id: string): Promise<void> {
  await runInDurableObject(handoffStub(id), (_o, state) => {
    const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
    rec.replay_until = Date.now() - 1;
    state.storage.kv.put("handoff", rec);
  });
  await evictDurableObject(handoffStub(id));
}

/** The window closes by the object's alarm, its last send caught in a list instead of the queue. */
async function objectsLastSend(id: string): Promise<Message[]> {
  await windowOver(id);
  const caught = app();
  await runInDurableObject(handoffStub(id), async (object) => {
    const hops = { send: async (body: Message["body"]) => void caught.taken.push(message(body)) };
    (object as unknown as { env: object }).env = { ...env, HOPS: hops };
    await object.alarm();
  });
  return eventually(() => caught.taken.length > 0 && caught.taken, "the object's last send");
}

const message = (body: Message["body"]): Message => ({
  id: `q-${crypto.randomUUID()}`,
  timestamp: new Date(),
  attempts: 1,
  body: structuredClone(body),
});

describe("a redemption without a claim, its send lost with its isolate", () => {
  it("the object sends its hops when the window closes: one redeemed hop counted, one webhook", async () => {
    const h = await setUp();
    const dead = app({ dead: true });
    const res = await dead.send(resolveReq(h));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payload: unknown }).payload).toEqual({ session: "s-42" });
    expect(dead.taken).toHaveLength(0);
    const kept = (await stored(h.id))!;
    // Nothing to hand over again (no claim), but what its hops are built from, for the window.
    expect(kept).toMatchObject({ payload: null, claim_hash: null });
    expect(kept.replay_hops).toMatchObject({ country: "NL", colo: "AMS", scanned: true });
    expect(await exported(keyOf(), h.id, "redeemed")).toBe(0);

    await windowOver(h.id);
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    // The object sends through the real queue; its consumer counts them.
    await eventually(
      async () => (await exported(keyOf(), h.id, "redeemed")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h);
    expect(await stored(h.id)).toMatchObject({ replay_until: null, replay_hops: null });
  });
});

describe("the double count: the Worker's send arrived, and the object sends again", () => {
  it("the same once-only rows, counted once by concurrent consumers in either order: one hop, one webhook", async () => {
    for (const order of ["worker first", "object first"] as const) {
      const h = await setUp();
      const phone = app();
      expect((await phone.send(resolveReq(h))).status).toBe(200);
      const rows = phone.rows();
      expect(rows.map((r) => r.hop)).toEqual(["scanned", "redeemed"]);
      for (const r of rows) expect(r.event_id).toMatch(/^ev_/);
      const copy = await objectsLastSend(h.id);
      // The same rows but the scan's IP hash, which only the call that saw the phone has.
      const sent = copy.flatMap((m) => m.body.rows);
      expect(sent).toEqual(rows.map((r) => ({ ...r, ip_hash: null })));
      const [a, b] = order === "worker first" ? [phone.taken, copy] : [copy, phone.taken];
      const results = await Promise.all([
        runQueue("qrbridge-hops", a),
        runQueue("qrbridge-hops", b),
      ]);
      for (const r of results) expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
      await expectCountedOnce(h);
    }
  });
});

describe("a stranger with the QR after a redemption without a claim", () => {
  it("no claim, or any claim: 409, and nothing is sent", async () => {
    const h = await setUp();
    expect((await app().send(resolveReq(h))).status).toBe(200);
    const stranger = app();
    const answers = await Promise.all([
      stranger.send(resolveReq(h, { ip: "192.0.2.1" })),
      stranger.send(resolveReq(h, { ip: "192.0.2.2", claim: "a-guessed-claim-000000000" })),
    ]);
    expect(statusTally(answers)).toEqual({ 409: 2 });
    expect(stranger.taken).toHaveLength(0);
  });
});
