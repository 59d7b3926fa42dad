// Red team: a handoff's steps before its redemption — the person's scan of the landing page
// (`scanned` + `landing`), the scan a `confirm: "pc"` claim call records, the PC's approval or
// denial — are counted exactly once even when the Worker that made the step never sent its hops:
// the isolate dies between the object's commit and its send (queue, spool and database all refuse
// for that one request), and nothing asks again (a second view changes nothing, a second decision
// is 409). The handoff's object sends the same once-only rows a last time: with the redemption's
// when its replay window closes, else before it deletes the handoff — whatever its end. The
// "double count" attack is that last send when the first arrived, counted by concurrent consumers;
// previewers, bots, prefetches and HEADs still change and send nothing. Redemptions:
// redteam-never-lost.test.ts; QR logins: redteam-never-lost-logins.test.ts.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PURGE_GRACE_MS } from "../../src/core/handoff";
import {
  type Created,
  createHandoff,
  editHandoff as edit,
  handoffStub,
  IPHONE_UA,
  storedHandoff as stored,
  tokenOf,
} from "./handoffs-helpers";
import { BASE } from "./helpers";
import { eventually, runQueue } from "./hop-helpers";
import {
  app,
  consume,
  deliveries,
  exported,
  type Message,
  resolveReq,
  webhookWatchForFile,
} from "./never-lost-helpers";

const watch = webhookWatchForFile(
  ["handoffs:write", "stats:read"],
  ["scanned", "approved", "denied", "cancelled", "redeemed"].map((e) => `handoff.${e}`),
);

/** A fresh handoff, and the webhook endpoint listening for its steps. */
async function setUp(body: Record<string, unknown> = {}): Promise<Created> {
  await watch.listen();
  return createHandoff(watch.key(), { payload: { session: "s-7" }, ...body });
}

/** A person's phone opening the link in its browser, as Cloudflare hands it to the Worker. */
const scanReq = (h: Created, headers: Record<string, string> = {}, method = "GET") =>
  new Request(`${BASE}/h/${tokenOf(h)}`, {
    method,
    headers: { "user-agent": IPHONE_UA, "cf-connecting-ip": "198.51.100.9", ...headers },
    cf: { country: "DE", colo: "TXL" },
  } as RequestInit);
/** The PC page deciding, with its watch secret. */
const decideReq = (h: Created, action: "approve" | "deny") =>
  new Request(`${BASE}/v1/handoffs/${h.id}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json", referer: "https://shop.test/checkout" },
    body: JSON.stringify({ watch: h.watch }),
    cf: { country: "FR", colo: "CDG" },
  } as RequestInit);
/** The PC page cancelling, with its watch secret. */
const cancelReq = (h: Created) =>
  new Request(`${BASE}/v1/handoffs/${h.id}?watch=${h.watch}`, {
    method: "DELETE",
    cf: { country: "FR", colo: "CDG" },
  } as RequestInit);

/** One counted of each of `hops`, one webhook for each that has one. */
async function expectCountedOnce(id: string, hops: readonly string[]): Promise<void> {
  for (const hop of hops) {
    expect(await exported(watch.key(), id, hop), hop).toBe(1);
    if (hop !== "landing")
      expect(await deliveries(watch.endpoint(), id, `handoff.${hop}`), hop).toBe(1);
  }
}

/** The live handoff's deadline passes: its alarm expires it. */
async function expire(id: string): Promise<void> {
  await edit(id, (rec) => {
    rec.expires_at = Date.now() - 1;
    rec.redeem_window = 0;
  });
  expect(await runDurableObjectAlarm(handoffStub(id))).toBe(true);
  expect((await stored(id))?.status).toBe("expired");
}

/** The ended handoff's grace period passes: its alarm deletes it (and sends what it kept). */
async function purge(id: string): Promise<void> {
  await edit(id, (rec) => {
    rec.ended_at = Date.now() - PURGE_GRACE_MS - 1;
  });
  expect(await runDurableObjectAlarm(handoffStub(id))).toBe(true);
  expect(await stored(id)).toBeUndefined();
}

const message = (body: Message["body"]): Message => ({
  id: `q-${crypto.randomUUID()}`,
  timestamp: new Date(),
  attempts: 1,
  body: structuredClone(body),
});

/**
 * The ended handoff's purge alarm, run to the end (every `waitUntil` it started settled), its
 * last send caught in a list instead of the queue.
 */
async function objectsLastSend(id: string): Promise<Message[]> {
  await edit(id, (rec) => {
    rec.ended_at = Date.now() - PURGE_GRACE_MS - 1;
  });
  const caught: Message[] = [];
  const started: Promise<unknown>[] = [];
  await runInDurableObject(handoffStub(id), async (object, state) => {
    const hops = { send: async (body: Message["body"]) => void caught.push(message(body)) };
    const o = object as unknown as { env: object; ctx: object };
    o.env = { ...env, HOPS: hops };
    o.ctx = new Proxy(state, {
      get: (target, name) =>
        name === "waitUntil"
          ? (p: Promise<unknown>) => void started.push(p)
          : Reflect.get(target, name, target),
    });
    await object.alarm();
  });
  await Promise.all(started);
  expect(await stored(id)).toBeUndefined();
  return caught;
}

describe("the landing page's scan, its send lost with its isolate", () => {
  it("the handoff then expires: its purge sends `scanned` and `landing`, counted once, one webhook", async () => {
    const h = await setUp();
    const dead = app({ dead: true });
    expect((await dead.send(scanReq(h))).status).toBe(200);
    expect(dead.taken).toHaveLength(0);
    expect((await stored(h.id))?.hop_facts?.scanned).toEqual({
      country: "DE",
      colo: "TXL",
      referrer_host: null,
      via: "page",
      bot: false,
    });
    await expire(h.id);
    expect(await exported(watch.key(), h.id, "scanned")).toBe(0);
    await purge(h.id);
    // The object sends through the real queue; its consumer counts them.
    await eventually(
      async () => (await exported(watch.key(), h.id, "landing")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h.id, ["scanned", "landing"]);
  });

  it("the handoff then redeemed: the replay window's close sends them with the redemption's", async () => {
    const h = await setUp();
    expect((await app({ dead: true }).send(scanReq(h))).status).toBe(200);
    const phone = app();
    expect((await phone.send(resolveReq(h))).status).toBe(200);
    await consume(phone.taken);
    expect(await exported(watch.key(), h.id, "scanned")).toBe(0);
    await edit(h.id, (rec) => {
      rec.replay_until = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    await eventually(
      async () => (await exported(watch.key(), h.id, "landing")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h.id, ["scanned", "landing", "redeemed"]);
    // Sent: the record keeps its facts no longer, and its purge has nothing left to send.
    expect((await stored(h.id))?.hop_facts).toBeNull();
  });
});

describe("the double count: the scan's send arrived, and the object sends again", () => {
  it("the same once-only rows, counted once by concurrent consumers in either order", async () => {
    for (const order of ["worker first", "object first"] as const) {
      const h = await setUp();
      const phone = app();
      expect((await phone.send(scanReq(h))).status).toBe(200);
      expect((await phone.send(cancelReq(h))).status).toBe(200);
      const rows = phone.rows();
      expect(rows.map((r) => r.hop)).toEqual(["scanned", "landing", "cancelled"]);
      for (const r of rows) expect(r.event_id).toMatch(/^ev_/);
      expect(rows[0]!.ip_hash).not.toBeNull();
      const copies = await objectsLastSend(h.id);
      // The same rows but the scan's IP hash, which only the call that saw the phone has.
      const copy = copies.flatMap((m) => m.body.rows);
      expect(copy).toEqual(rows.map((r) => ({ ...r, ip_hash: null })));
      const [a, b] = order === "worker first" ? [phone.taken, copies] : [copies, phone.taken];
      const results = await Promise.all([
        runQueue("qrbridge-hops", a),
        runQueue("qrbridge-hops", b),
      ]);
      for (const r of results) expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
      await expectCountedOnce(h.id, ["scanned", "landing", "cancelled"]);
    }
  });
});

describe('confirm: "pc", the claim call\'s send lost with its isolate', () => {
  it("the PC then denies: the purge sends the claim's scan, counted once, the denial once", async () => {
    const h = await setUp({ confirm: "pc" });
    const dead = app({ dead: true });
    const claim = await dead.send(resolveReq(h, { claim: "claim-secret-0000000000000001" }));
    expect(claim.status).toBe(202);
    expect(dead.taken).toHaveLength(0);
    const pc = app();
    expect((await pc.send(decideReq(h, "deny"))).status).toBe(200);
    expect(pc.rows().map((r) => [r.hop, r.event_id.startsWith("ev_"), r.country])).toEqual([
      ["denied", true, "FR"],
    ]);
    await consume(pc.taken);
    await purge(h.id);
    await eventually(
      async () => (await exported(watch.key(), h.id, "scanned")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h.id, ["scanned", "denied"]);
  });

  it("the PC's cancel lost too: the purge sends the scan and the cancel, once each", async () => {
    const h = await setUp({ confirm: "pc" });
    const dead = app({ dead: true });
    expect(
      (await dead.send(resolveReq(h, { claim: "claim-secret-0000000000000004" }))).status,
    ).toBe(202);
    expect((await dead.send(cancelReq(h))).status).toBe(200);
    expect(dead.taken).toHaveLength(0);
    // Cancelling again changes nothing and sends nothing: no retry could make the hop good.
    const again = app();
    expect((await again.send(cancelReq(h))).status).toBe(200);
    expect(again.taken).toHaveLength(0);
    await purge(h.id);
    await eventually(async () => (await exported(watch.key(), h.id, "cancelled")) > 0, "the copy");
    await expectCountedOnce(h.id, ["scanned", "cancelled"]);
  });

  it("the handoff then expires unanswered: the purge still sends the scan", async () => {
    const h = await setUp({ confirm: "pc" });
    const claim = await app({ dead: true }).send(
      resolveReq(h, { claim: "claim-secret-0000000000000002" }),
    );
    expect(claim.status).toBe(202);
    await expire(h.id);
    await purge(h.id);
    await eventually(
      async () => (await exported(watch.key(), h.id, "scanned")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h.id, ["scanned"]);
  });

  it("the approval's send lost too: the redemption's window close sends scan and approval, once each", async () => {
    const h = await setUp({ confirm: "pc" });
    const secret = "claim-secret-0000000000000003";
    expect((await app({ dead: true }).send(resolveReq(h, { claim: secret }))).status).toBe(202);
    expect((await app({ dead: true }).send(decideReq(h, "approve"))).status).toBe(200);
    const phone = app();
    expect((await phone.send(resolveReq(h, { claim: secret }))).status).toBe(200);
    expect(phone.rows().map((r) => r.hop)).toEqual(["redeemed"]);
    await consume(phone.taken);
    await edit(h.id, (rec) => {
      rec.replay_until = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    await eventually(
      async () => (await exported(watch.key(), h.id, "approved")) > 0,
      "the object's copy",
    );
    await expectCountedOnce(h.id, ["scanned", "approved", "redeemed"]);
  });
});

describe("previewers, bots, prefetches and HEADs", () => {
  it("change nothing and send nothing, not even from the object when the handoff ends", async () => {
    const h = await setUp();
    const visitor = app();
    const seen = [
      await visitor.send(scanReq(h, { "user-agent": "Slackbot-LinkExpanding 1.0" })),
      await visitor.send(scanReq(h, { "sec-purpose": "prefetch" })),
      await visitor.send(scanReq(h, { purpose: "prefetch" })),
      await visitor.send(scanReq(h, {}, "HEAD")),
    ];
    for (const res of seen) expect(res.status).toBe(200);
    expect(visitor.rows().map((r) => [r.hop, r.event_id.startsWith("ev_")])).toEqual(
      Array(4).fill(["previewed", false]),
    );
    const rec = (await stored(h.id))!;
    expect(rec.status).toBe("pending");
    expect(rec.hop_facts ?? null).toBeNull();
    await expire(h.id);
    // The purge, run to the end: no kept hop, so no message at all.
    expect(await objectsLastSend(h.id)).toEqual([]);
  });
});
