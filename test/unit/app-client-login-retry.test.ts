// The app client's answer to a lost login scan (src/client/app.ts): scanLogin() makes one claim
// and keeps it through its retries of a call that got no answer (or a 5xx), so the bridge can
// answer the lost 200 again to this app alone; an answer from the bridge (409, 410…) is final.
// Fake timers: the backoff is waited out without waiting.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppClient, QrBridgeError } from "../../src/client/app";
import { fakeFetch, json, settle } from "./app-client-helpers";

const LOGIN_LINK = "https://qr.test/l/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";
const SCAN = {
  id: "8QK3T0M1ZC7X9R2B4N6D",
  scan: "s".repeat(43),
  expires_at: 1_767_225_720_000,
  requester: { platform: "desktop", browser: "Chrome", os: "Windows", city: "Berlin" },
  proximity: { same_network: true },
  metadata: null,
};
const offline = () => new TypeError("Network request failed");
const claimsOf = (sent: { body: unknown }[]) =>
  sent.map((s) => (s.body as { claim?: string }).claim);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("scanLogin after a dropped connection", () => {
  it("asks again with the same claim and returns the scan", async () => {
    const f = fakeFetch(offline(), json(502, { error: "bad_gateway" }), json(200, SCAN));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const out = await settle(client.scanLogin(LOGIN_LINK));
    expect(out).toMatchObject({ id: SCAN.id, scan: SCAN.scan });
    const claims = claimsOf(f.sent);
    expect(claims).toHaveLength(3);
    expect(claims[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(claims).size).toBe(1);
    expect(f.sent.every((s) => (s.body as { url: string }).url === LOGIN_LINK)).toBe(true);
  });

  it("each scan a claim of its own; the app's own kept claim is sent as given", async () => {
    const f = fakeFetch(json(200, SCAN), json(200, SCAN), offline(), json(200, SCAN));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    await client.scanLogin(LOGIN_LINK);
    await client.scanLogin(LOGIN_LINK);
    const kept = "kept-claim-0123456789";
    await settle(client.scanLogin(LOGIN_LINK, { claim: kept }));
    const claims = claimsOf(f.sent);
    expect(claims[0]).not.toBe(claims[1]);
    expect(claims.slice(2)).toEqual([kept, kept]);
  });

  it("a 409 is final, not retried; retries run out with the network error", async () => {
    const refused = fakeFetch(json(409, { error: "already_scanned", message: "another phone" }));
    const a = createAppClient({ baseUrl: "https://qr.test", fetch: refused.fn });
    expect(await settle(a.scanLogin(LOGIN_LINK))).toMatchObject({ code: "already_scanned" });
    expect(refused.sent).toHaveLength(1);

    const down = fakeFetch(offline(), offline());
    const b = createAppClient({ baseUrl: "https://qr.test", fetch: down.fn });
    const err = await settle(b.scanLogin(LOGIN_LINK, { retries: 1 }));
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code: "network", status: 0 });
    expect(down.sent).toHaveLength(2);
  });

  it("no crypto to make a claim: sent once, never retried (a retry would be refused as another phone)", async () => {
    vi.stubGlobal("crypto", undefined);
    const f = fakeFetch(offline(), json(200, SCAN));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    expect(await settle(client.scanLogin(LOGIN_LINK))).toMatchObject({ code: "network" });
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0]!.body).toEqual({ url: LOGIN_LINK });
  });
});
