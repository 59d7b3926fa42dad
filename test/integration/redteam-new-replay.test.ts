// Red team, the lost-answer replay (core/handoff-replay.ts) from the attacker's side: a claim
// carried from one handoff to another, an attacker who redeemed first and keeps asking, claims
// of the wrong size or in other scripts, a claim swapped between the 202 and the final call of
// confirm: "pc", and the payload looked for where the window might leak it (the PC's status view,
// its long-poll, the hops a webhook is made from).
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { REPLAY_WINDOW_MS } from "../../src/core/handoff-replay";
import {
  ANDROID_APP_UA,
  type Created,
  createHandoff,
  decide,
  handoffStub,
} from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintSecretKey } from "./helpers";

const SECRET = "rt-new-replay-secret-5e1d";
const APP_CLAIM = "app-claim-rt-new-0001-Kq7";
const ATTACKER_CLAIM = "attacker-claim-rt-new-Zz9";

function resolveReq(h: Created, claim?: string, who = "app"): Request {
  return new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": `${ANDROID_APP_UA} ${who}` },
    body: JSON.stringify({ url: h.url, ...(claim === undefined ? {} : { claim }) }),
  });
}

const record = (h: Created) =>
  runInDurableObject(handoffStub(h.id), (_o, state) =>
    state.storage.kv.get<HandoffRecord>("handoff"),
  );

const carries = async (res: Response) => (await res.clone().text()).includes(SECRET);

async function errorOf(res: Response): Promise<[number, string]> {
  return [res.status, ((await res.json()) as { error: string }).error];
}

describe("redteam-new: claims carried where they do not belong", () => {
  it("the claim that redeemed a gets nothing of b, which another app redeemed with its own", async () => {
    const key = await mintSecretKey();
    const a = await createHandoff(key, { payload: { s: "a" } });
    const b = await createHandoff(key, { payload: { s: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(a, ATTACKER_CLAIM, "attacker"))).status).toBe(200);
    expect((await w.send(resolveReq(b, APP_CLAIM))).status).toBe(200);
    const stolen = await w.send(resolveReq(b, ATTACKER_CLAIM, "attacker"));
    expect(await carries(stolen)).toBe(false);
    expect(await errorOf(stolen)).toEqual([409, "already_redeemed"]);
    // b's own app still gets its answer: the attacker's try closed nothing.
    const own = await w.send(resolveReq(b, APP_CLAIM));
    expect(own.status).toBe(200);
    expect(await carries(own)).toBe(true);
    // b's redemption and its own replay sent the same once-only row (counted once); the
    // attacker's refused try sent nothing.
    const sent = w.rows.filter((r) => r.subject_id === b.id && r.hop === "redeemed");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]!.event_id).toMatch(/^ev_/);
  });

  it("an attacker who redeemed first and asks again and again never moves the window's end", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { s: SECRET } });
    const w = hopCapturingWorker();
    const first = await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
    expect(first.status).toBe(200);
    const answer = await first.json();
    const { redeemed_at, replay_until } = (await record(h))!;
    expect(replay_until).toBe(redeemed_at! + REPLAY_WINDOW_MS);
    for (let i = 0; i < 5; i++) {
      const again = await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
      expect(await again.json()).toEqual(answer);
    }
    expect((await record(h))!.replay_until).toBe(replay_until);
    // The app, late, without the claim: the 409 that tells it someone else redeemed.
    expect(await errorOf(await w.send(resolveReq(h, APP_CLAIM)))).toEqual([
      409,
      "already_redeemed",
    ]);
    // Each replay sent the redemption's row again, one once-only id: counted once; the app's 409
    // sent nothing.
    const sent = w.rows.filter((r) => r.hop === "redeemed");
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((r) => JSON.stringify(r))).size).toBe(1);
  });
});

describe("redteam-new: claims of every shape", () => {
  it("15 or 101 characters: 400 validation_failed, and the handoff is left for the app", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { s: SECRET } });
    const w = hopCapturingWorker();
    for (const claim of ["x".repeat(15), "x".repeat(101), ""]) {
      const res = await w.send(resolveReq(h, claim, "attacker"));
      expect(await carries(res)).toBe(false);
      expect(await errorOf(res), `${claim.length} characters`).toEqual([400, "validation_failed"]);
    }
    expect((await record(h))!.status).toBe("pending");
    const app = await w.send(resolveReq(h, "x".repeat(16)));
    expect(app.status).toBe(200);
    expect((await w.send(resolveReq(h, "x".repeat(100)))).status).toBe(409);
  });

  it("a non-ASCII claim replays to itself only, not to the same text in another normal form", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { s: SECRET } });
    const w = hopCapturingWorker();
    const nfc = "clé-de-l'app-ключ-🔑-é".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect((await w.send(resolveReq(h, nfc))).status).toBe(200);
    expect(await carries(await w.send(resolveReq(h, nfc)))).toBe(true);
    expect(await errorOf(await w.send(resolveReq(h, nfd, "attacker")))).toEqual([
      409,
      "already_redeemed",
    ]);
  });

  it('confirm: "pc": a claim other than the one the PC approved gets 409, the approved one the payload', async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc", payload: { s: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, APP_CLAIM))).status).toBe(202);
    // Another phone before the approval, then after it: never the payload.
    const early = await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
    expect(await errorOf(early)).toEqual([409, "conflict"]);
    expect((await decide(h, "approve")).status).toBe(200);
    const swapped = await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
    expect(await carries(swapped)).toBe(false);
    expect(await errorOf(swapped)).toEqual([409, "conflict"]);
    expect((await record(h))!.status).toBe("approved");
    const app = await w.send(resolveReq(h, APP_CLAIM));
    expect(app.status).toBe(200);
    expect(await carries(app)).toBe(true);
    const after = await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
    expect(await carries(after)).toBe(false);
    expect(after.status).toBe(409);
  });
});

describe("redteam-new: the payload kept for the window leaks nowhere else", () => {
  it("the PC's status view and long-poll, and the hops (what webhooks are made of), carry none of it", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { s: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, APP_CLAIM))).status).toBe(200);
    expect((await record(h))!.payload).toContain(SECRET);
    const views = [
      await call(`/v1/handoffs/${h.id}?watch=${h.watch}`),
      await call(`/v1/handoffs/${h.id}?watch=${h.watch}&wait=1&since=scanned`),
    ];
    for (const v of views) {
      expect(v.status).toBe(200);
      expect(await carries(v)).toBe(false);
    }
    expect(JSON.stringify(w.rows)).not.toContain(SECRET);
  });
});

describe("redteam-new: the retry racing the alarm that ends the window", () => {
  it("the window's end passed: alarm and retry at once, the retry gets 409 and storage no payload", async () => {
    for (const order of ["alarm first", "retry first"]) {
      const h = await createHandoff(await mintSecretKey(), { payload: { s: SECRET } });
      const w = hopCapturingWorker();
      expect((await w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"))).status).toBe(200);
      // Time passing: the window ended a moment ago, the alarm not run yet.
      await runInDurableObject(handoffStub(h.id), (_o, state) => {
        const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
        state.storage.kv.put("handoff", { ...rec, replay_until: Date.now() - 1 });
      });
      await evictDurableObject(handoffStub(h.id));
      const alarm = () => runDurableObjectAlarm(handoffStub(h.id));
      const retry = () => w.send(resolveReq(h, ATTACKER_CLAIM, "attacker"));
      const [, res] =
        order === "alarm first"
          ? await Promise.all([alarm(), retry()])
          : (await Promise.all([retry(), alarm()])).reverse();
      const answer = res as Response;
      expect(await carries(answer), order).toBe(false);
      expect(answer.status, order).toBe(409);
      expect(await record(h), order).toMatchObject({ payload: null, replay_until: null });
      expect(
        w.rows.filter((r) => r.hop === "redeemed"),
        order,
      ).toHaveLength(1);
    }
  });
});
