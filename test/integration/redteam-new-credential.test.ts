// Red team, the handoff events credential (core/event-credential.ts): what an attacker holding
// something other than the redeeming app's own credential can send to POST /v1/events — the
// handoff link's own token, the credential posing as a link, a referrer of another handoff, a key
// without events:write — and what a key rotation does to credentials already handed out.
import { describe, expect, it } from "vitest";
import { type Created, createHandoff, tokenOf } from "./handoffs-helpers";
import { BASE, hopCapturingWorker, mintKey, mintSecretKey } from "./helpers";
import { makePoster, scannedSession } from "./poster-helpers";

const APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const CLAIM = "rt-new-credential-claim-0001";
const T2 = "T2:test-signing-key-two-0123456789abcdef";
const T3 = "T3:a-new-signing-key-three-0123456789";

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": APP, ...headers },
    body: JSON.stringify(json),
  });

interface Answer {
  session: string;
  payload: unknown;
}

/** A handoff redeemed by the app through `w` (with a claim): the handoff and the 200 answer. */
async function redeemed(w: ReturnType<typeof hopCapturingWorker>, key: string) {
  const h: Created = await createHandoff(key, { payload: { cart: 9 } });
  const res = await w.send(post("/v1/resolve", { url: h.url, claim: CLAIM }));
  expect(res.status).toBe(200);
  return { h, answer: (await res.json()) as Answer };
}

async function errorOf(res: Response): Promise<[number, string]> {
  return [res.status, ((await res.json()) as { error: string }).error];
}

describe("redteam-new: what is not the handoff's events credential", () => {
  it("the handoff link's own token sent as session is refused: the QR is not the credential", async () => {
    const w = hopCapturingWorker();
    const { h } = await redeemed(w, await mintSecretKey());
    const before = w.rows.length;
    const res = await w.send(post("/v1/events", { session: tokenOf(h), type: "converted" }));
    expect(await errorOf(res)).toEqual([400, "invalid_token"]);
    const lower = tokenOf(h).toLowerCase();
    const again = await w.send(post("/v1/events", { session: lower, type: "app_open" }));
    expect(await errorOf(again)).toEqual([400, "invalid_token"]);
    expect(w.rows.length).toBe(before);
  });

  it("the credential posing as a handoff link or referrer redeems nothing and reports nothing", async () => {
    const w = hopCapturingWorker();
    const { answer } = await redeemed(w, await mintSecretKey());
    const before = w.rows.length;
    const asLink = await w.send(post("/v1/resolve", { url: `${BASE}/h/${answer.session}` }));
    expect(await errorOf(asLink)).toEqual([400, "invalid_token"]);
    const asReferrer = await w.send(post("/v1/resolve", { referrer: `qb_ref=H${answer.session}` }));
    expect(asReferrer.status).toBe(400);
    const eventByLink = await hopCapturingWorker({ QB_HANDOFF_EVENTS_BY_LINK: "true" }).send(
      post("/v1/events", { url: `${BASE}/h/${answer.session}`, type: "converted" }),
    );
    expect(await errorOf(eventByLink)).toEqual([400, "invalid_token"]);
    // Counted only as the forged links they are: no subject, nothing redeemed or reported.
    expect(w.rows.slice(before).map((r) => [r.subject_id, r.hop])).toEqual([
      ["invalid", "rejected"],
      ["invalid", "rejected"],
    ]);
  });

  it("a's credential with b's install referrer is refused, as with b's link", async () => {
    const w = hopCapturingWorker();
    const key = await mintSecretKey();
    const a = await redeemed(w, key);
    const b = await redeemed(w, key);
    const before = w.rows.length;
    const res = await w.send(
      post("/v1/events", {
        session: a.answer.session,
        referrer: `qb_ref=H${tokenOf(b.h)}`,
        type: "converted",
      }),
    );
    expect(await errorOf(res)).toEqual([403, "forbidden"]);
    expect(w.rows.length).toBe(before);
  });

  it("the link alone from a secret key without events:write, or a publishable key: 403, nothing counted", async () => {
    const w = hopCapturingWorker();
    const { h } = await redeemed(w, await mintSecretKey());
    const before = w.rows.length;
    const noScope = await mintKey("secret", ["handoffs:write"]);
    const publishable = await mintKey("publishable", ["handoffs:write"], [BASE]);
    for (const key of [noScope, publishable]) {
      const res = await w.send(
        post("/v1/events", { url: h.url, type: "converted" }, { authorization: `Bearer ${key}` }),
      );
      expect(await errorOf(res), key.slice(0, 6)).toEqual([403, "forbidden"]);
    }
    expect(w.rows.length).toBe(before);
  });
});

describe("redteam-new: a signing key rotation and credentials already handed out", () => {
  it("a new key appended: the old credential still reports, the replay's new one is the same event", async () => {
    const key = await mintSecretKey();
    const w = hopCapturingWorker();
    const { h, answer } = await redeemed(w, key);
    // The deployment appends T3 (it now signs); T2, which signed the link and credential, stays.
    const rotated = hopCapturingWorker({ QB_SIGNING_KEYS: `${T2},${T3}` });
    const old = await rotated.send(
      post("/v1/events", { session: answer.session, type: "converted" }),
    );
    expect(old.status).toBe(202);
    const replay = await rotated.send(post("/v1/resolve", { url: h.url, claim: CLAIM }));
    expect(replay.status).toBe(200);
    const fresh = ((await replay.json()) as Answer).session;
    expect(fresh).not.toBe(answer.session);
    const again = await rotated.send(post("/v1/events", { session: fresh, type: "converted" }));
    expect(again.status).toBe(202);
    const ids = [old, again].map(async (r) => ((await r.json()) as { event_id: string }).event_id);
    const [a, b] = await Promise.all(ids);
    expect(a).toBe(b);
    // The replay sent the redemption's row again, as it was (a once-only id: counted once).
    const redeemedRows = (rows: typeof w.rows) => rows.filter((r) => r.hop === "redeemed");
    expect(redeemedRows(rotated.rows)).toEqual(redeemedRows(w.rows));
    expect(redeemedRows(w.rows)).toHaveLength(1);
  });

  it("the signing key removed: its credentials are refused with a 400, not a 500", async () => {
    const w = hopCapturingWorker();
    const { answer } = await redeemed(w, await mintSecretKey());
    const removed = hopCapturingWorker({ QB_SIGNING_KEYS: T3 });
    const res = await removed.send(
      post("/v1/events", { session: answer.session, type: "app_open" }),
    );
    expect(await errorOf(res)).toEqual([400, "invalid_token"]);
    expect(removed.rows).toEqual([]);
  });

  it("a session sent with a poster link of another visit is refused, as with another handoff's link", async () => {
    const w = hopCapturingWorker();
    const { answer } = await redeemed(w, await mintSecretKey());
    const p = await makePoster({ name: "rt-new poster link" });
    const [mine, other] = [await scannedSession(p.code), await scannedSession(p.code)];
    const before = w.rows.length;
    const send = (session: string, s: string) =>
      w.send(post("/v1/events", { session, url: `${p.url}?s=${s}`, type: "converted" }));
    expect(await errorOf(await send(mine, other))).toEqual([403, "forbidden"]);
    expect(await errorOf(await send(answer.session, mine))).toEqual([403, "forbidden"]);
    expect(w.rows.length).toBe(before);
    // The visit's own link beside its session still counts.
    expect((await send(mine, mine)).status).toBe(202);
    expect(w.rows.slice(before).map((r) => [r.session_id !== null, r.hop])).toEqual([
      [true, "converted"],
    ]);
  });
});
