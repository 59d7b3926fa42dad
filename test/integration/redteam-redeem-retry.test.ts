// Red team: the redeem replay (core/handoff-replay.ts). The app that redeemed a handoff with a
// claim may ask again with it and get the same answer for a short window. The attacker has the
// QR — the link, shown on the PC's screen — but never the claim (the app made it; only its hash
// is stored and it is shown to nobody): every way it asks, alone or racing the app's retry, is
// refused, nothing is counted twice, and after the window even the right claim gets nothing.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EVENT_WINDOW_MS } from "../../src/core/handoff";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { sha256Hex } from "../../src/core/hash";
import { ANDROID_APP_UA, type Created, createHandoff, handoffStub } from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintSecretKey, statusTally } from "./helpers";

const SECRET = "victim-session-7f3a";
const CLAIM = "rR9-app-claim_Zk2mQ8xW4vB6nT1c";

/** The app (i = 0) or attacker i resolving the link, each from its own address. */
function resolveReq(h: Created, i: number, claim?: string): Request {
  return new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": `${ANDROID_APP_UA} phone/${i}`,
      "cf-connecting-ip": `203.0.${113 + Math.floor(i / 250)}.${(i % 250) + 1}`,
    },
    body: JSON.stringify({ url: h.url, ...(claim ? { claim } : {}) }),
  });
}

/** How many of the answers carried the payload. */
async function payloadsIn(responses: Response[]): Promise<number> {
  let n = 0;
  for (const r of responses) if ((await r.clone().text()).includes(SECRET)) n++;
  return n;
}

/** Move the end of the replay window into the past, as time passing would. */
async function closeWindow(h: Created): Promise<void> {
  await runInDurableObject(handoffStub(h.id), (_o, state) => {
    const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
    rec.replay_until = Date.now() - 1;
    state.storage.kv.put("handoff", rec);
  });
  // The object keeps its record in memory: a fresh instance reads the change.
  await evictDurableObject(handoffStub(h.id));
}

const storedRecord = (h: Created) =>
  runInDurableObject(handoffStub(h.id), (_o, state) =>
    state.storage.kv.get<HandoffRecord>("handoff"),
  );

describe("an attacker with the QR but not the claim", () => {
  it("100 resolves at once with the app's retry: the app alone gets its answer, one redeemed hop", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { payload: { session: SECRET } });
    const w = hopCapturingWorker();
    const first = await w.send(resolveReq(h, 0, CLAIM));
    expect(first.status).toBe(200);
    const answer = await first.json();

    // The 200 was lost. The app retries while the attacker floods the link with no claim, with
    // guessed claims, and with the claim's hash (the only form of it that is stored).
    const hash = await sha256Hex(CLAIM);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        if (i === 50) return w.send(resolveReq(h, 0, CLAIM));
        if (i % 3 === 0) return w.send(resolveReq(h, 1 + i));
        if (i % 3 === 1) return w.send(resolveReq(h, 1 + i, `${CLAIM.slice(0, -2)}${i}`));
        return w.send(resolveReq(h, 1 + i, hash));
      }),
    );
    expect(answers[50]!.status).toBe(200);
    expect(await answers[50]!.clone().json()).toEqual(answer);
    const others = answers.filter((_, i) => i !== 50);
    expect(statusTally(others)).toEqual({ 409: 99 });
    expect(await payloadsIn(others)).toBe(0);
    expect(
      new Set(
        await Promise.all(others.map(async (r) => ((await r.json()) as { error: string }).error)),
      ),
    ).toEqual(new Set(["already_redeemed"]));
    // One redemption: the app's retry sent its hops again (its first send may have been lost),
    // the same rows under one once-only id each, so the hop log counts one redeemed hop (one
    // webhook, one funnel count) and one scan (counted: redteam-redeemed-hop.test.ts). The
    // attackers sent nothing.
    for (const hop of ["redeemed", "scanned"]) {
      const sent = w.rows.filter((r) => r.hop === hop && r.subject_id === h.id);
      expect(sent).toHaveLength(2);
      expect(sent[0]!.event_id).toMatch(/^ev_/);
      expect(sent[1]).toEqual(sent[0]);
    }
    expect(w.rows.every((r) => r.subject_id === h.id)).toBe(true);
    // Neither the claim nor its hash shows anywhere the attacker or the PC could read.
    const view = await (await call(`/v1/handoffs/${h.id}?watch=${h.watch}`)).text();
    for (const leak of [CLAIM, hash]) {
      expect(view).not.toContain(leak);
      expect(JSON.stringify(w.rows)).not.toContain(leak);
    }
  });

  it("a claim sent after a redemption without one gets nothing: the claim binds the redeeming call", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, 0))).status).toBe(200);
    const late = await Promise.all([1, 2].map((i) => w.send(resolveReq(h, i, CLAIM))));
    expect(statusTally(late)).toEqual({ 409: 2 });
    expect(await payloadsIn(late)).toBe(0);
  });
});

describe("after the replay window", () => {
  it("the alarm drops the payload, and the right claim gets 409 like anyone", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    const w = hopCapturingWorker();
    expect((await w.send(resolveReq(h, 0, CLAIM))).status).toBe(200);
    expect((await storedRecord(h))!.payload).toContain(SECRET);
    await closeWindow(h);
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    const after = await runInDurableObject(handoffStub(h.id), async (_o, state) => ({
      record: state.storage.kv.get<HandoffRecord>("handoff")!,
      alarm: await state.storage.getAlarm(),
    }));
    expect(after.record).toMatchObject({ status: "redeemed", payload: null, replay_until: null });
    // Kept (without its payload) for its events window, then deleted as before.
    expect(after.alarm).toBe(after.record.redeemed_at! + EVENT_WINDOW_MS);
    const retry = await w.send(resolveReq(h, 0, CLAIM));
    expect(retry.status).toBe(409);
    expect(await payloadsIn([retry])).toBe(0);
    expect(w.rows.filter((r) => r.hop === "redeemed")).toHaveLength(1);
  });

  it("a late alarm changes nothing: the first access after the window refuses and drops it", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { session: SECRET } });
    expect((await hopCapturingWorker().send(resolveReq(h, 0, CLAIM))).status).toBe(200);
    await closeWindow(h);
    const retry = await hopCapturingWorker().send(resolveReq(h, 0, CLAIM));
    expect(retry.status).toBe(409);
    expect(await payloadsIn([retry])).toBe(0);
    expect(await storedRecord(h)).toMatchObject({ payload: null, replay_until: null });
  });
});
