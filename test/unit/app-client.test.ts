// The app client (src/client/app.ts) against a fake fetch: requests it sends, results it types,
// errors it raises.
import { describe, expect, it } from "vitest";
import { createAppClient, isLoginLink, QrBridgeError } from "../../src/client/app";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a list and records what was sent. */
function fakeFetch(...answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: init?.headers as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { fn, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";

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
    });
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

describe("QR login", () => {
  const LOGIN_LINK = "HTTPS://QR.TEST/L/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";
  const SCAN = {
    id: "8QK3T0M1ZC7X9R2B4N6D",
    scan: "s".repeat(43),
    expires_at: 1_767_225_720_000,
    requester: { platform: "desktop", browser: "Chrome", os: "Windows", city: "Berlin" },
    proximity: { same_network: true, distance_km: 3 },
    metadata: null,
  };

  it("scanLogin POSTs the url to /v1/logins/scan and returns who is asking", async () => {
    const f = fakeFetch(json(200, SCAN));
    const client = createAppClient({ baseUrl: "https://qr.test/", fetch: f.fn });
    const out = await client.scanLogin(LOGIN_LINK);
    expect(f.sent[0]).toMatchObject({
      url: "https://qr.test/v1/logins/scan",
      method: "POST",
      body: { url: LOGIN_LINK },
    });
    expect(out.requester.browser).toBe("Chrome");
    expect(out.scan).toBe(SCAN.scan);
  });

  it("a second scanner gets a typed already_scanned error; a body without a handle is refused", async () => {
    const f = fakeFetch(
      json(409, { error: "already_scanned", message: "another phone has already scanned" }),
      json(200, { id: "x" }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const err = await client.scanLogin(LOGIN_LINK).catch((e) => e);
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code: "already_scanned", status: 409 });
    await expect(client.scanLogin(LOGIN_LINK)).rejects.toMatchObject({ code: "bad_response" });
  });

  it("denyLogin POSTs the scan handle (and a reason) to …/deny, with no key", async () => {
    const f = fakeFetch(json(200, { id: SCAN.id, status: "denied" }), json(200, {}));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    await client.denyLogin(SCAN.id, SCAN.scan, "not_me");
    await client.denyLogin(SCAN.id, SCAN.scan);
    expect(f.sent[0]).toMatchObject({
      url: `https://qr.test/v1/logins/${SCAN.id}/deny`,
      body: { scan: SCAN.scan, reason: "not_me" },
    });
    expect(f.sent[1]!.body).toEqual({ scan: SCAN.scan });
    expect(f.sent[0]!.headers).not.toHaveProperty("authorization");
  });

  it("isLoginLink tells a login link from handoff and poster links, also inside qb_link", () => {
    expect(isLoginLink(LOGIN_LINK)).toBe(true);
    expect(isLoginLink(LOGIN_LINK.toLowerCase())).toBe(true);
    expect(isLoginLink(`acme:///?qb_link=${encodeURIComponent(LOGIN_LINK)}`)).toBe(true);
    expect(isLoginLink(LINK)).toBe(false);
    expect(isLoginLink("HTTPS://QR.TEST/P/7K2M9QX4AB")).toBe(false);
    expect(isLoginLink("not a url")).toBe(false);
  });
});
