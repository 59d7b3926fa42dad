// Poster and handoff attribution through the API: sessions, resolve and events keep poster,
// store, campaign and session attached. (Which platform and path the later hops of a scan are
// counted under: attribution-hops.test.ts.)
import { env as testEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseKeyring, signToken } from "../../src/core/token";
import type { ResolvedPoster } from "../../src/routes/posters-resolve";
import { ResolvedLink } from "../../src/routes/resolve";
import { expectMatches } from "./contract-helpers";
import { call, mintKey } from "./helpers";
import {
  makePoster,
  makeStore,
  patchPoster,
  scan,
  scannedSession,
  waitForHops,
} from "./poster-helpers";

const APP_UA = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const SIGNING_KEYS = (testEnv as unknown as { QB_SIGNING_KEYS: string }).QB_SIGNING_KEYS;

type Resolved = ResolvedPoster;

const resolve = (url: string) =>
  call("/v1/resolve", { method: "POST", json: { url }, headers: { "user-agent": APP_UA } });
const event = (json: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("/v1/events", { method: "POST", json, headers: { "user-agent": APP_UA, ...headers } });

describe("create → scan → resolve → convert", () => {
  it("keeps poster, store, campaign and session attached at every step", async () => {
    const store = await makeStore("Attribution store");
    const p = await makePoster({
      store_id: store.id,
      campaign: "Attribution campaign",
      path: "/menu",
      params: { table: "7" },
    });
    const s = await scannedSession(p.code);

    const res = await resolve(`${p.url}?s=${s}`);
    expect(res.status).toBe(200);
    // The documented poster variant of the 200 union, field for field.
    const body = expectMatches(ResolvedLink, await res.json()) as Resolved;
    expect(body).toEqual({
      kind: "poster",
      id: p.id,
      path: "/menu",
      params: { table: "7" },
      attribution: {
        poster_id: p.id,
        store_id: store.id,
        store_name: "Attribution store",
        campaign_id: p.campaign_id,
        session: s,
        session_expires_at: expect.any(Number),
      },
    });

    const converted = await event({ session: s, type: "converted", value: 12.5, currency: "EUR" });
    expect(converted.status).toBe(202);
    const first = (await converted.json()) as { event_id: string; attribution: unknown };
    expect(first.attribution).toEqual({
      poster_id: p.id,
      store_id: store.id,
      campaign_id: p.campaign_id,
      session: s,
    });
    // A retry is the same event; from the app, so is one with a fresh idempotency key.
    const retry = (await (await event({ session: s, type: "converted", value: 12.5 })).json()) as {
      event_id: string;
    };
    expect(retry.event_id).toBe(first.event_id);
    const again = (await (
      await event({ session: s, type: "converted", value: 3 }, { "idempotency-key": "order-2" })
    ).json()) as { event_id: string };
    expect(again.event_id).toBe(first.event_id);
    // The company's server (a secret key with events:write) reports a second order of the session.
    const serverKey = await mintKey("secret", ["events:write"]);
    const second = (await (
      await event(
        { session: s, type: "converted", value: 3, idempotency_key: "order-2" },
        { authorization: `Bearer ${serverKey}`, "user-agent": "node" },
      )
    ).json()) as { event_id: string };
    expect(second.event_id).not.toBe(first.event_id);

    const hops = await waitForHops({ session_id: s.slice(0, 20) }, 5);
    expect(hops.map((h) => h.hop).sort()).toEqual([
      "app_open",
      "converted",
      "converted",
      "landing",
      "scanned",
    ]);
    for (const h of hops) {
      expect(h).toMatchObject({ poster_id: p.id, store_id: store.id, campaign_id: p.campaign_id });
    }
    const values = hops.filter((h) => h.hop === "converted").map((h) => h.detail?.value);
    expect(values.sort()).toEqual([12.5, 3]);
  });

  it("a bare poster URL (app opened straight from the QR) starts a session and counts the scan", async () => {
    const p = await makePoster({ campaign: "Direct open" });
    const body = (await (await resolve(p.url.toLowerCase())).json()) as Resolved;
    expect(body.attribution.session).toMatch(/^[0-9A-Z]{42}$/);
    expect(body.attribution.session.startsWith(p.id)).toBe(true);
    // Resolving the same session again opens the app again but counts one app_open.
    expect((await resolve(`${p.url}?s=${body.attribution.session}`)).status).toBe(200);
    const hops = await waitForHops({ poster_id: p.id }, 2);
    expect(hops.map((h) => h.hop).sort()).toEqual(["app_open", "scanned"]);
    expect(hops.find((h) => h.hop === "scanned")!.detail).toMatchObject({
      via: "app",
    });
  });

  it("resolves the custom-scheme link of the landing page, session included", async () => {
    const p = await makePoster();
    const html = await (await scan(`/p/${p.code}`)).text();
    const s = /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
    const inner = `${p.url}?S=${s}`;
    const body = (await (
      await resolve(`acme:///menu?qb_link=${encodeURIComponent(inner)}&s=${s}`)
    ).json()) as Resolved;
    expect(body.attribution.session).toBe(s);
  });

  it("re-targeting takes effect on the next resolve without reprinting", async () => {
    const p = await makePoster({ path: "/menu/lunch" });
    expect(((await (await resolve(p.url)).json()) as Resolved).path).toBe("/menu/lunch");
    await patchPoster(p.id, { path: "/menu/dinner", params: { course: "2" } });
    const after = (await (await resolve(p.url)).json()) as Resolved;
    expect(after).toMatchObject({ path: "/menu/dinner", params: { course: "2" } });
  });

  it("refuses forged codes and sessions, inactive posters and expired sessions", async () => {
    const p = await makePoster();
    const forged = `${p.url.slice(0, -4)}${p.url.endsWith("0000") ? "0001" : "0000"}`;
    const bad = await resolve(forged);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_token" });

    const s = await scannedSession(p.code);
    const tampered = s.slice(0, -1) + (s.endsWith("0") ? "1" : "0");
    expect((await resolve(`${p.url}?s=${tampered}`)).status).toBe(400);
    expect((await event({ session: tampered, type: "converted" })).status).toBe(400);

    const other = await makePoster();
    const wrong = await resolve(`${other.url}?s=${s}`);
    expect(await wrong.json()).toMatchObject({ error: "invalid_token" });

    const ring = await parseKeyring(SIGNING_KEYS);
    const old = await signToken(ring, "s", {
      id: `${p.id}ABCDEFGHJKMNPQ`,
      expiresAt: Date.UTC(2026, 0, 1) / 1000, // long past
    });
    const expired = await event({ session: old.token, type: "converted" });
    expect(expired.status).toBe(410);

    await patchPoster(p.id, { status: "paused" });
    const paused = await resolve(p.url);
    expect(paused.status).toBe(410);
    expect(await paused.json()).toMatchObject({ error: "gone", details: { status: "paused" } });
    // A conversion of a scan made while it was live still counts.
    expect((await event({ session: s, type: "converted" })).status).toBe(202);
  });

  it("validates the event body", async () => {
    expect((await event({ type: "converted" })).status).toBe(400);
    expect((await event({ session: "X".repeat(42), type: "bought" })).status).toBe(400);
    const p = await makePoster();
    const noSession = await event({ url: p.url, type: "converted" });
    expect(noSession.status).toBe(400);
    expect(((await noSession.json()) as { message: string }).message).toMatch(/^url: .*session/);
    const s = await scannedSession(p.code);
    expect((await event({ url: `${p.url}?s=${s}`, type: "app_open" })).status).toBe(202);
  });
});

describe("events against a handoff", () => {
  it("records converted against the redeemed handoff's id, once", async () => {
    const key = await mintKey("secret", ["handoffs:write"]);
    const res = await call("/v1/handoffs", { method: "POST", key, json: { path: "/cart" } });
    expect(res.status).toBe(201);
    const h = (await res.json()) as { id: string; url: string };
    const resolved = await resolve(h.url);
    expect(resolved.status).toBe(200);
    const { session } = (await resolved.json()) as { session: string };
    const a = await event({ session, type: "converted", value: 40 });
    expect(a.status).toBe(202);
    const body = (await a.json()) as { kind: string; subject_id: string; event_id: string };
    expect(body).toMatchObject({ kind: "handoff", subject_id: h.id });
    const b = (await (await event({ session, type: "converted", value: 40 })).json()) as {
      event_id: string;
    };
    expect(b.event_id).toBe(body.event_id);
    const hops = await waitForHops({ subject_id: h.id, hop: "converted" }, 1);
    expect(hops[0]).toMatchObject({ kind: "handoff", poster_id: null });
  });
});
