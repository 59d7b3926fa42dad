// The app client (src/client/app.ts) against a fake fetch, on a scan's way into the app:
// resolving links and reporting events, the requests it sends, the results it types, the errors
// it raises. (QR login from the app: app-client-login.test.ts.)
import { describe, expect, it } from "vitest";
import { createAppClient, QrBridgeError } from "../../src/client/app";
import { fakeFetch, json, LINK } from "./app-client-helpers";

describe("resolve", () => {
  it("sends a Play install referrer as { referrer }, and the path the app states as via", async () => {
    const f = fakeFetch(
      json(200, { kind: "handoff", id: "8QK3T0M1ZC7X9R2B4N6D", path: "/x", payload: null }),
      json(202, { accepted: true, event_id: "ev_1", kind: "handoff", subject_id: "8QK3" }),
      json(200, { kind: "handoff", id: "8QK3T0M1ZC7X9R2B4N6D", path: "/x", payload: null }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const referrer = "utm_source=qr&qb_ref=H8QK3";
    expect((await client.resolve({ referrer })).kind).toBe("handoff");
    await client.reportEvent({ referrer }, "app_open");
    await client.resolve(LINK, { via: "app_clip" });
    expect(f.sent.map((r) => r.body)).toEqual([
      { referrer },
      { referrer, type: "app_open" },
      { url: LINK, via: "app_clip" },
    ]);
  });

  it("POSTs the url to /v1/resolve under the base URL and returns a typed handoff", async () => {
    const f = fakeFetch(
      json(200, {
        kind: "handoff",
        id: "8QK3T0M1ZC7X9R2B4N6D",
        path: "/cart/42",
        payload: { cart: 42 },
        metadata: { title: "Cart" },
        attribution: null,
        session: "8QK3T0M1ZC7X9R2B4N6D1JN7W80D1EVENTSCRED01",
        session_expires_at: 1_767_312_000_000,
      }),
    );
    const client = createAppClient({
      baseUrl: "https://qr.test/",
      fetch: f.fn,
      headers: { "x-app": "demo" },
    });
    const r = await client.resolve(LINK);
    expect(f.sent).toEqual([
      {
        url: "https://qr.test/v1/resolve",
        method: "POST",
        headers: { "x-app": "demo", "content-type": "application/json" },
        body: { url: LINK },
      },
    ]);
    expect(r).toEqual({
      kind: "handoff",
      id: "8QK3T0M1ZC7X9R2B4N6D",
      path: "/cart/42",
      payload: { cart: 42 },
      metadata: { title: "Cart" },
      session: "8QK3T0M1ZC7X9R2B4N6D1JN7W80D1EVENTSCRED01",
      session_expires_at: 1_767_312_000_000,
    });
  });

  it("a handoff from a bridge that issues no events credential has a null session", async () => {
    const f = fakeFetch(json(200, { kind: "handoff", id: "X", path: null, payload: null }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await client.resolve(LINK);
    expect(r).toMatchObject({ kind: "handoff", session: null });
    expect(r).not.toHaveProperty("session_expires_at");
  });

  it("states the app's platform in X-QB-Platform when told, and nothing else", async () => {
    const f = fakeFetch(json(200, { kind: "handoff", id: "X", path: null, payload: null }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn, platform: "ios" });
    await client.resolve(LINK);
    expect(f.sent[0]!.headers).toEqual({
      "content-type": "application/json",
      "x-qb-platform": "ios",
    });
    const g = fakeFetch(json(200, { kind: "handoff", id: "X", path: null, payload: null }));
    const odd = { baseUrl: "https://qr.test", fetch: g.fn, platform: "web" };
    await createAppClient(odd).resolve(LINK);
    expect(g.sent[0]!.headers).toEqual({ "content-type": "application/json" });
  });

  it("types a poster result with its params, attribution and session", async () => {
    const f = fakeFetch(
      json(200, {
        kind: "poster",
        id: "7K2M9Q",
        path: "/menu",
        params: { table: "4" },
        attribution: { store_id: "st_1", campaign_id: null, poster_id: "7K2M9Q", session: "S.abc" },
      }),
    );
    const r = await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn }).resolve(
      "https://qr.test/p/7K2M9QX4AB",
    );
    expect(r.kind).toBe("poster");
    if (r.kind !== "poster") return;
    expect(r.params).toEqual({ table: "4" });
    expect(r.session).toBe("S.abc");
    expect(r.attribution).toMatchObject({
      store_id: "st_1",
      campaign_id: null,
      poster_id: "7K2M9Q",
    });
  });

  it("returns awaiting_confirmation with the claim on 202, and sends the claim back", async () => {
    const f = fakeFetch(
      json(202, {
        kind: "handoff",
        status: "awaiting_confirmation",
        id: "H1",
        claim: "c-secret",
        retry_after: 3,
      }),
      json(200, { kind: "handoff", id: "H1", path: "/x", payload: null, metadata: null }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const first = await client.resolve(LINK);
    expect(first).toEqual({
      kind: "awaiting_confirmation",
      id: "H1",
      claim: "c-secret",
      retryAfter: 3,
    });
    const second = await client.resolve(LINK, { claim: "c-secret" });
    expect(second.kind).toBe("handoff");
    expect(f.sent[1]!.body).toEqual({ url: LINK, claim: "c-secret" });
  });

  it("resolveConfirmed asks again with the claim until the PC approves", async () => {
    const f = fakeFetch(
      json(202, { status: "awaiting_confirmation", id: "H1", claim: "c1" }),
      json(202, { status: "awaiting_confirmation", id: "H1", claim: null }),
      json(200, { kind: "handoff", id: "H1", path: "/ok", payload: 1, metadata: null }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await client.resolveConfirmed(LINK, { intervalMs: 1 });
    expect(r).toMatchObject({ kind: "handoff", path: "/ok", payload: 1 });
    expect(f.sent.map((s) => (s.body as { claim?: string }).claim)).toEqual([
      undefined,
      "c1",
      "c1",
    ]);
  });

  it("resolveConfirmed gives up with a timeout error", async () => {
    const f = fakeFetch(json(202, { status: "awaiting_confirmation", id: "H1", claim: "c1" }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const err = await client
      .resolveConfirmed(LINK, { intervalMs: 50, timeoutMs: 10 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err.code).toBe("timeout");
  });

  it.each([
    [409, "already_redeemed", "this handoff has already been redeemed"],
    [410, "expired", "this handoff has expired"],
    [400, "invalid_token", "not a bridge link"],
  ])("throws QrBridgeError with status %i and code %s", async (status, code, message) => {
    const f = fakeFetch(json(status, { error: code, message, details: { field: "url" } }));
    const err = await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn })
      .resolve(LINK)
      .catch((e) => e);
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code, status, message, details: { field: "url" } });
  });

  it("maps a network failure to code network, status 0", async () => {
    const f = fakeFetch(new TypeError("Failed to fetch"));
    const err = await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn })
      .resolve(LINK)
      .catch((e) => e);
    expect(err).toMatchObject({ name: "QrBridgeError", code: "network", status: 0 });
  });

  it("maps a non-JSON error page to http_<status>", async () => {
    const f = fakeFetch(new Response("<h1>Bad gateway</h1>", { status: 502 }));
    const err = await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn })
      .resolve(LINK)
      .catch((e) => e);
    expect(err).toMatchObject({ code: "http_502", status: 502 });
  });

  it("rejects an unknown result kind as bad_response", async () => {
    const f = fakeFetch(json(200, { kind: "spaceship" }));
    const err = await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn })
      .resolve(LINK)
      .catch((e) => e);
    expect(err).toMatchObject({ code: "bad_response" });
  });
});

describe("reportEvent", () => {
  it("POSTs {session, type, value} to /v1/events", async () => {
    const f = fakeFetch(json(202, { accepted: true }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const out = await client.reportEvent("S.abc", "converted", 42.5);
    expect(f.sent[0]).toMatchObject({
      url: "https://qr.test/v1/events",
      method: "POST",
      body: { session: "S.abc", type: "converted", value: 42.5 },
    });
    expect(out).toEqual({ accepted: true });
    expect(f.sent).toHaveLength(1);
  });

  it("reports a handoff's events with its session, exactly as a poster's", async () => {
    const f = fakeFetch(
      json(200, { kind: "handoff", id: "H1", path: "/cart", payload: null, session: "E.h1" }),
      json(200, {
        kind: "poster",
        id: "P1",
        path: "/menu",
        attribution: { poster_id: "P1", session: "S.p1" },
      }),
      json(202, { accepted: true, kind: "handoff" }),
      json(202, { accepted: true, kind: "poster" }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const handoff = await client.resolve(LINK);
    const poster = await client.resolve("https://qr.test/p/7K2M9QX4AB");
    for (const r of [handoff, poster]) {
      if (r.kind === "awaiting_confirmation" || !r.session) throw new Error("no session");
      await client.reportEvent(r.session, "converted", 5);
    }
    expect(f.sent.slice(2).map((r) => [r.url, r.body])).toEqual([
      ["https://qr.test/v1/events", { session: "E.h1", type: "converted", value: 5 }],
      ["https://qr.test/v1/events", { session: "S.p1", type: "converted", value: 5 }],
    ]);
  });

  it("sends a handoff's url, the currency and the idempotency key when given", async () => {
    const f = fakeFetch(json(200, { accepted: true, event_id: "e1", kind: "handoff" }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const out = await client.reportEvent({ url: LINK }, "converted", 10, {
      currency: "EUR",
      idempotencyKey: "order-7",
    });
    expect(f.sent[0]!.body).toEqual({
      url: LINK,
      type: "converted",
      value: 10,
      currency: "EUR",
      idempotency_key: "order-7",
    });
    expect(out.event_id).toBe("e1");
  });

  it("leaves value out when not given, and surfaces errors", async () => {
    const f = fakeFetch(json(400, { error: "validation_failed", message: "session: invalid" }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const err = await client.reportEvent("bad", "app_open").catch((e) => e);
    expect(f.sent[0]!.body).toEqual({ session: "bad", type: "app_open" });
    expect(err).toMatchObject({ code: "validation_failed", status: 400 });
  });
});
