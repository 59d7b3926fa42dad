// The app client's answer to a lost redeem (src/client/app.ts): resolve() makes one claim and
// keeps it through its retries of a call that got no answer (or a 5xx), so the bridge can answer
// a lost 200 again to it alone; an answer from the bridge (409, 410…) is final. Fake timers:
// the backoff is waited out without waiting.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppClient, QrBridgeError } from "../../src/client/app";
import { fakeFetch, json, LINK, settle } from "./app-client-helpers";

const HANDOFF = {
  kind: "handoff",
  id: "8QK3T0M1ZC7X9R2B4N6D",
  path: "/cart/42",
  payload: { cart: 42 },
  metadata: null,
  session: "8QK3T0M1ZC7X9R2B4N6D1JN7W80D1EVENTSCRED01",
};

const claimsOf = (sent: { body: unknown }[]) =>
  sent.map((s) => (s.body as { claim?: string }).claim);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("resolve after a dropped connection", () => {
  it("asks again with the same claim and returns the payload", async () => {
    const f = fakeFetch(
      new TypeError("Network request failed"),
      new TypeError("Network request failed"),
      json(200, HANDOFF),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await settle(client.resolve(LINK));
    expect(r).toMatchObject({ kind: "handoff", payload: { cart: 42 }, session: HANDOFF.session });
    const claims = claimsOf(f.sent);
    expect(claims).toHaveLength(3);
    expect(claims[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(claims).size).toBe(1);
  });

  it("retries a 5xx too, and backs off longer each time", async () => {
    const f = fakeFetch(
      json(503, { error: "unavailable", message: "busy" }),
      new TypeError("offline"),
      json(200, HANDOFF),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const p = client.resolve(LINK, { claim: "kept-by-the-app-0123456789" });
    await vi.advanceTimersByTimeAsync(499);
    expect(f.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(f.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).kind).toBe("handoff");
    expect(claimsOf(f.sent)).toEqual(Array(3).fill("kept-by-the-app-0123456789"));
  });

  it("takes an answer as final: a 409 is thrown at once, not retried", async () => {
    const f = fakeFetch(
      new TypeError("offline"),
      json(409, { error: "already_redeemed", message: "taken" }),
      json(200, HANDOFF),
    );
    const err = await settle(
      createAppClient({ baseUrl: "https://qr.test", fetch: f.fn }).resolve(LINK),
    );
    expect(err).toMatchObject({ code: "already_redeemed", status: 409 });
    expect(f.sent).toHaveLength(2);
  });

  it("gives up after its retries with the network error", async () => {
    const f = fakeFetch(...Array.from({ length: 5 }, () => new TypeError("offline")));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const err = await settle(client.resolve(LINK, { retries: 2 }));
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code: "network", status: 0 });
    expect(f.sent).toHaveLength(3);
  });

  it("sends no claim where the runtime has no crypto (never a guessable one)", async () => {
    vi.stubGlobal("crypto", undefined);
    try {
      const f = fakeFetch(json(200, HANDOFF));
      await createAppClient({ baseUrl: "https://qr.test", fetch: f.fn }).resolve(LINK);
      expect(f.sent[0]!.body).toEqual({ url: LINK });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("makes a new claim for each resolve, never one for two links", async () => {
    const f = fakeFetch(json(200, HANDOFF), json(200, HANDOFF));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    await client.resolve(LINK);
    await client.resolve(LINK);
    const [a, b] = claimsOf(f.sent);
    expect(a).not.toBe(b);
  });
});

describe('confirm: "pc"', () => {
  it("resolveConfirmed keeps its own claim through waits and a dropped connection", async () => {
    const waiting = { status: "awaiting_confirmation", id: "H1", retry_after: 1 };
    const f = fakeFetch(
      json(202, waiting),
      new TypeError("offline"),
      json(202, waiting),
      json(200, HANDOFF),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await settle(client.resolveConfirmed(LINK));
    expect(r).toMatchObject({ kind: "handoff", payload: { cart: 42 } });
    const claims = claimsOf(f.sent);
    expect(claims).toHaveLength(4);
    expect(claims[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(claims).size).toBe(1);
  });

  it("resolve's 202, then resolveConfirmed with its claim: the phone the PC approves asks", async () => {
    const waiting = { status: "awaiting_confirmation", id: "H1", retry_after: 1 };
    const f = fakeFetch(json(202, waiting), json(202, waiting), json(200, HANDOFF));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await client.resolve(LINK);
    if (r.kind !== "awaiting_confirmation") throw new Error("not waiting");
    const done = await settle(client.resolveConfirmed(LINK, { claim: r.claim ?? undefined }));
    expect(done).toMatchObject({ kind: "handoff" });
    expect(new Set(claimsOf(f.sent))).toEqual(new Set([r.claim]));
  });

  it("resolve's 202 names the claim it sent when the bridge shows none", async () => {
    const f = fakeFetch(json(202, { status: "awaiting_confirmation", id: "H1" }));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const r = await client.resolve(LINK);
    expect(r.kind === "awaiting_confirmation" && r.claim).toBe(claimsOf(f.sent)[0]);
  });
});
