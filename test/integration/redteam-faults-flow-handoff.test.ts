// Red team, a handoff's one-time redemption when its Durable Object's write is refused in the
// middle of the app's call (a full or failing storage): the app is answered an error, never the
// payload; the PC's socket is told nothing the object did not store; and the app's retry redeems
// once, with the hops it would have counted. The scan the same call made before the refusal
// stays made — and counted once.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff-record";
import type { HopRow } from "../../src/core/hop-row";
import { StoredRecord } from "../../src/store/stored-record";
import { faultyStorage } from "../support/faulty-bindings";
import {
  ANDROID_APP_UA,
  type Created,
  createHandoff,
  decide,
  handoffStub,
} from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintSecretKey } from "./helpers";
import { eventually } from "./hop-helpers";

const SECRET = "faults-flow-session-41c9";
const CLAIM = "faults-flow-claim-Hq7_Zr2mT9wK";

/** The app's `POST /v1/resolve` for handoff `h`, with its claim if it sends one. */
const resolveReq = (h: Created, claim?: string) =>
  new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ANDROID_APP_UA },
    body: JSON.stringify({ url: h.url, ...(claim ? { claim } : {}) }),
  });

/** The live object's record writes refused while `refuse(record)` says so; undone by eviction. */
async function refuseWrites(h: Created, refuse: (rec: HandoffRecord) => boolean): Promise<void> {
  await runInDurableObject(handoffStub(h.id), (object, state) => {
    const storage = faultyStorage(state.storage, { put: (_k, v) => refuse(v as HandoffRecord) });
    (object as unknown as { stored: StoredRecord<HandoffRecord> }).stored = new StoredRecord(
      storage,
      "handoff",
    );
  });
}

/** The PC page's socket, collecting the statuses it is pushed. */
async function pcSocket(h: Created): Promise<string[]> {
  const res = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`, {
    headers: { upgrade: "websocket" },
  });
  expect(res.status).toBe(101);
  const statuses: string[] = [];
  const ws = res.webSocket!;
  ws.addEventListener("message", (e) => {
    statuses.push((JSON.parse(String(e.data)) as { status: string }).status);
  });
  ws.accept();
  return statuses;
}

const stored = (h: Created) =>
  runInDurableObject(handoffStub(h.id), (_o, state) =>
    state.storage.kv.get<HandoffRecord>("handoff"),
  );

/** The record changed as time passing would, then the object's alarm: the rows it sent. */
async function objectSends(
  h: Created,
  change: (rec: HandoffRecord) => HandoffRecord,
): Promise<HopRow[]> {
  await runInDurableObject(handoffStub(h.id), (_o, state) => {
    state.storage.kv.put("handoff", change(state.storage.kv.get<HandoffRecord>("handoff")!));
  });
  await evictDurableObject(handoffStub(h.id));
  const rows: HopRow[] = [];
  await runInDurableObject(handoffStub(h.id), async (object) => {
    const hops = { send: async (body: { rows: HopRow[] }) => void rows.push(...body.rows) };
    const o = object as unknown as { env: object; watchers: { env: object } };
    o.env = { ...env, HOPS: hops };
    o.watchers.env = o.env;
    await object.alarm();
  });
  return eventually(() => rows.length > 0 && rows, "the object's send");
}

/** The replay window closed by the object's alarm: the rows of the object's last send. */
const windowClosingSend = (h: Created) =>
  objectSends(h, (rec) => ({ ...rec, replay_until: Date.now() - 1 }));

/** Let the socket's messages arrive. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe("a redemption whose write the object's storage refuses", () => {
  it("the app straight from the QR: 500 without the payload, the PC told only `scanned`; the retry redeems once, scan and redemption counted once", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    const pc = await pcSocket(h);
    await refuseWrites(h, (rec) => rec.status === "redeemed");
    const w = hopCapturingWorker();

    const failed = await w.send(resolveReq(h, CLAIM));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain(SECRET);
    await settle();
    expect(pc).toEqual(["pending", "scanned"]);
    expect((await stored(h))?.status).toBe("scanned");
    expect(w.rows.map((r) => r.hop)).toEqual([]);

    // The storage recovers (a fresh instance); the app asks again with the same claim.
    await evictDurableObject(handoffStub(h.id));
    const retry = await w.send(resolveReq(h, CLAIM));
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { payload: unknown }).payload).toEqual({ session: SECRET });
    const again = await w.send(resolveReq(h));
    expect(again.status).toBe(409);
    expect(await again.text()).not.toContain(SECRET);
    // The retry made no scan: it sends the redemption alone.
    expect(w.rows.filter((r) => r.subject_id === h.id).map((r) => r.hop)).toEqual(["redeemed"]);

    // The scan the failed call made is the funnel's first step: the object's send when the
    // replay window closes carries it, once, with the redemption's rows again (the same ids).
    const last = await windowClosingSend(h);
    expect(last.map((r) => r.hop).sort()).toEqual(["redeemed", "scanned"]);
    const all = [...w.rows, ...last].filter((r) => r.subject_id === h.id);
    const ids = (hop: string) => new Set(all.filter((r) => r.hop === hop).map((r) => r.event_id));
    expect(ids("scanned").size).toBe(1);
    expect(ids("redeemed").size).toBe(1);
  });

  it("the app never asks again: the handoff expires, and the send before its deletion counts the scan once", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    await refuseWrites(h, (rec) => rec.status === "redeemed");
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, CLAIM))).status).toBe(500);
    expect(w.rows).toEqual([]);
    // Its deadlines pass: the alarm expires it, and an hour after, deletes it.
    const past = Date.now() - 2 * 3_600_000;
    const rows = await objectSends(h, (rec) => ({ ...rec, scanned_at: past, expires_at: past }));
    expect(rows.map((r) => r.hop)).toEqual(["expired"]);
    const last = await objectSends(h, (rec) => ({ ...rec, changed_at: past, ended_at: past }));
    expect(last.map((r) => r.hop)).toEqual(["scanned"]);
    expect(await stored(h)).toBeUndefined();
  });

  it("the same call with no fault: the window's last send carries its scan once, not twice", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, CLAIM))).status).toBe(200);
    expect(w.rows.map((r) => r.hop)).toEqual(["scanned", "redeemed"]);
    const last = await windowClosingSend(h);
    expect(last.map((r) => r.hop)).toEqual(["scanned", "redeemed"]);
    expect(last.map((r) => r.event_id)).toEqual(w.rows.map((r) => r.event_id));
  });

  it('confirm: "pc", the approved claimant\'s redemption refused: no payload, the PC not told `redeemed`; the claimant alone redeems after', async () => {
    const h = await createHandoff(await mintSecretKey(), {
      payload: { session: SECRET },
      confirm: "pc",
    });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, CLAIM))).status).toBe(202);
    expect((await decide(h, "approve")).status).toBe(200);
    const pc = await pcSocket(h);
    await refuseWrites(h, (rec) => rec.status === "redeemed");

    const failed = await w.send(resolveReq(h, CLAIM));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain(SECRET);
    // Someone with the QR but no claim, while the claimant's call failed: still refused.
    const thief = await w.send(resolveReq(h, "another-phone-claim-0000"));
    expect(thief.status).toBe(409);
    expect((await w.send(resolveReq(h))).status).toBe(409);
    await settle();
    expect(pc).toEqual(["approved"]);
    expect((await stored(h))?.status).toBe("approved");

    await evictDurableObject(handoffStub(h.id));
    const retry = await w.send(resolveReq(h, CLAIM));
    expect(retry.status).toBe(200);
    expect(await retry.text()).toContain(SECRET);
    const hops = w.rows.filter((r) => r.subject_id === h.id).map((r) => r.hop);
    expect(hops.filter((hop) => hop === "redeemed")).toHaveLength(1);
  });
});
