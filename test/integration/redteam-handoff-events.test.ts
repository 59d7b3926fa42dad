// The bystander at the PC: a handoff link is the QR on the PC's screen, so anyone who saw or
// photographed it has it, and a handoff's events count once (the first report wins). Each test
// replays what such a bystander can send, then shows that only the app that redeemed the
// handoff — holding the events credential its POST /v1/resolve answer carried — is counted.
import { describe, expect, it } from "vitest";
import { issueEventCredential } from "../../src/core/event-credential";
import { EVENT_WINDOW_MS } from "../../src/core/handoff";
import {
  type Created,
  createHandoff,
  decide,
  exportedHops,
  signedToken,
  tokenOf,
} from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintKey, mintSecretKey, testKeyring } from "./helpers";
import { makePoster, scan } from "./poster-helpers";

const APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
/** The bystander's own phone, posing as the app: a person's client, so it would be counted. */
const BYSTANDER = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const ring = await testKeyring();

interface Redeemed {
  id: string;
  session: string;
  session_expires_at: number;
}

const event = (json: Record<string, unknown>, ua = APP, headers: Record<string, string> = {}) =>
  new Request(`${BASE}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ua, ...headers },
    body: JSON.stringify(json),
  });

const post = (path: string, json: unknown, ua = APP) =>
  call(path, { method: "POST", json, headers: { "user-agent": ua } });

/** A handoff the app has redeemed: the handoff and the 200 answer only the app received. */
async function redeemed(key: string): Promise<{ h: Created; answer: Redeemed }> {
  const h = await createHandoff(key, { path: "/cart/rt", payload: { cart: 7 } });
  const res = await post("/v1/resolve", { url: h.url });
  expect(res.status).toBe(200);
  return { h, answer: (await res.json()) as Redeemed };
}

describe("a bystander holding the handoff link", () => {
  it("cannot report the conversion first: refused, and the app's own report counts", async () => {
    const key = await mintSecretKey();
    const { h, answer } = await redeemed(key);
    expect(answer.session).toMatch(/^[0-9A-Z]{42}$/);
    const view = await call(`/v1/handoffs/${h.id}`, { key });
    const { redeemed_at } = (await view.json()) as { redeemed_at: number };
    expect(answer.session_expires_at).toBe(redeemed_at + EVENT_WINDOW_MS);

    // The bystander photographed the QR on the PC's screen: all it holds is the link.
    const w = hopCapturingWorker();
    for (const type of ["converted", "app_open"]) {
      const res = await w.send(event({ url: h.url, type, value: 999_999 }, BYSTANDER));
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("forbidden");
      expect(body.message).toMatch(/session.*POST \/v1\/resolve/);
    }
    // The same link as the install referrer it would be, or its token passed off as a session.
    const referrer = `qb_ref=H${tokenOf(h)}`;
    expect((await w.send(event({ referrer, type: "converted" }, BYSTANDER))).status).toBe(403);
    const asSession = await w.send(event({ session: tokenOf(h), type: "converted" }, BYSTANDER));
    expect(asSession.status).toBe(400);
    expect(await asSession.json()).toMatchObject({ error: "invalid_token" });
    // Nor can it get a credential of its own: the handoff is redeemed, once.
    const again = await post("/v1/resolve", { url: h.url }, BYSTANDER);
    expect(again.status).toBe(409);
    expect(await again.json()).not.toHaveProperty("session");
    expect(w.rows).toEqual([]);

    // The app reports with its credential, after the bystander tried: its report counts.
    const converted = await post("/v1/events", {
      session: answer.session,
      type: "converted",
      value: 42.5,
      currency: "EUR",
    });
    expect(converted.status).toBe(202);
    expect(await converted.json()).toMatchObject({ kind: "handoff", subject_id: h.id });
    expect((await post("/v1/events", { session: answer.session, type: "app_open" })).status).toBe(
      202,
    );
    const rows = await exportedHops(key, h.id, ["converted", "app_open"]);
    const conversions = rows.filter((r) => r.hop === "converted");
    expect(conversions.map((r) => r.detail)).toEqual([{ value: 42.5, currency: "EUR" }]);
  });

  it("with confirm: pc, only the claimant's redeeming answer carries the credential", async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc" });
    const claim = await post("/v1/resolve", { url: h.url });
    expect(claim.status).toBe(202);
    const claimed = (await claim.json()) as { claim: string };
    expect(claimed).not.toHaveProperty("session");
    expect((await decide(h, "approve")).status).toBe(200);
    const res = await post("/v1/resolve", { url: h.url, claim: claimed.claim });
    expect(res.status).toBe(200);
    const { session } = (await res.json()) as Redeemed;
    const ok = await post("/v1/events", { session, type: "app_open" });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ subject_id: h.id });
  });
});

describe("credentials that are not the handoff's own", () => {
  it("forged, tampered, another handoff's, another kind or expired: refused, nothing counted", async () => {
    const key = await mintSecretKey();
    const a = await redeemed(key);
    const b = await redeemed(key);
    const p = await makePoster({ path: "/menu/rt" });
    const html = await (await scan(`/p/${p.code}`)).text();
    const posterSession = /[?&;]s=([0-9A-Z]{42})/.exec(html.replace(/&amp;/g, "&"))![1]!;
    const login = await signedToken(Math.floor(Date.now() / 1000) + 600, a.h.id, "l");
    const expired = await issueEventCredential(ring, a.h.id, Date.UTC(2026, 0, 1));
    const cred = a.answer.session;
    const w = hopCapturingWorker();
    const cases: [string, Record<string, unknown>, number, string][] = [
      ["forged", { session: "7".repeat(42) }, 400, "invalid_token"],
      ["id moved to b", { session: b.h.id + cred.slice(20) }, 400, "invalid_token"],
      [
        "expiry moved later",
        { session: `${cred.slice(0, 20)}ZZZZZZZ${cred.slice(27)}` },
        400,
        "invalid_token",
      ],
      ["b's credential on a's link", { session: b.answer.session, url: a.h.url }, 403, "forbidden"],
      ["a poster session on a's link", { session: posterSession, url: a.h.url }, 403, "forbidden"],
      ["a QR login token", { session: login }, 400, "invalid_token"],
      ["a's credential, window over", { session: expired.token }, 410, "expired"],
    ];
    for (const [what, json, status, error] of cases) {
      const res = await w.send(event({ ...json, type: "converted", value: 5 }, BYSTANDER));
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: string }).error, what).toBe(error);
    }
    expect(w.rows).toEqual([]);

    // b's credential alone is b's app reporting: it counts for b, never for a.
    const own = await w.send(event({ session: b.answer.session, type: "converted", value: 5 }));
    expect(own.status).toBe(202);
    expect(w.rows.map((r) => [r.subject_id, r.hop])).toEqual([[b.h.id, "converted"]]);
  });
});

describe("what still reports by link", () => {
  it("with QB_HANDOFF_EVENTS_BY_LINK the link or referrer alone counts, as before", async () => {
    const { h, answer } = await redeemed(await mintSecretKey());
    const w = hopCapturingWorker({ QB_HANDOFF_EVENTS_BY_LINK: "true" });
    const byLink = await w.send(event({ url: h.url, type: "converted", value: 7 }));
    expect(byLink.status).toBe(202);
    const referrer = `qb_ref=H${tokenOf(h)}`;
    expect((await w.send(event({ referrer, type: "app_open" }))).status).toBe(202);
    // The app's credential is the same event: it counts once, whoever reported first.
    const { event_id } = (await byLink.json()) as { event_id: string };
    const cred = await w.send(event({ session: answer.session, type: "converted", value: 7 }));
    expect(((await cred.json()) as { event_id: string }).event_id).toBe(event_id);
    expect(w.rows.map((r) => [r.hop, r.detail])).toEqual([
      ["converted", JSON.stringify({ value: 7 })],
      ["app_open", JSON.stringify({ via: "direct" })],
      ["converted", JSON.stringify({ value: 7 })],
    ]);
  });

  it("a server's secret key holding events:write reports by link, unchanged", async () => {
    const { h } = await redeemed(await mintSecretKey());
    const server = await mintKey("secret", ["events:write"]);
    const w = hopCapturingWorker();
    const auth = { authorization: `Bearer ${server}` };
    for (const order of ["o-1", "o-2"]) {
      const json = { url: h.url, type: "converted", value: 30, idempotency_key: order };
      expect((await w.send(event(json, "python-requests/2.31", auth))).status).toBe(202);
    }
    expect(w.rows.map((r) => [r.subject_id, r.hop, r.bot])).toEqual([
      [h.id, "converted", 0],
      [h.id, "converted", 0],
    ]);
    expect(new Set(w.rows.map((r) => r.event_id)).size).toBe(2);
  });
});
