// The app client's answer to an event the bridge could not record (src/client/app.ts):
// reportEvent() sends the same event again on no answer or a 5xx — the bridge's 503 when no way
// could hold it — waiting 0.5 s, 1 s, 2 s or the 503's retry_after when longer, a bounded number
// of times; an answer (403, 429…) is final. Fake timers: the waits are stepped through, not waited.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppClient, QrBridgeError } from "../../src/client/app";
import { fakeFetch, json, settle } from "./app-client-helpers";

const RECEIPT = {
  accepted: true,
  event_id: "ev_3f2a",
  kind: "poster",
  subject_id: "P1",
  attribution: null,
};
const unavailable = (retryAfter?: number) =>
  json(503, {
    error: "unavailable",
    message: "the event could not be recorded now",
    ...(retryAfter === undefined ? {} : { details: { retry_after: retryAfter } }),
  });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const client = (f: ReturnType<typeof fakeFetch>) =>
  createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });

describe("reportEvent when the bridge could not record the event", () => {
  it("a 503 and a dropped connection, then the receipt: the same event sent three times", async () => {
    const f = fakeFetch(unavailable(), new TypeError("Network request failed"), json(202, RECEIPT));
    const out = await settle(
      client(f).reportEvent("S.abc", "converted", 19.9, {
        currency: "EUR",
        idempotencyKey: "order-7",
      }),
    );
    expect(out).toEqual(RECEIPT);
    expect(f.sent.map((s) => s.url)).toEqual(Array(3).fill("https://qr.test/v1/events"));
    const bodies = f.sent.map((s) => s.body);
    expect(bodies[0]).toEqual({
      session: "S.abc",
      type: "converted",
      value: 19.9,
      currency: "EUR",
      idempotency_key: "order-7",
    });
    expect(bodies.every((b) => JSON.stringify(b) === JSON.stringify(bodies[0]))).toBe(true);
  });

  it("backs off 0.5 s, then 1 s, and waits the 503's retry_after when that is longer", async () => {
    const f = fakeFetch(unavailable(), unavailable(), unavailable(5), json(202, RECEIPT));
    const p = client(f).reportEvent("S.abc", "app_open");
    await vi.advanceTimersByTimeAsync(499);
    expect(f.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(f.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.sent).toHaveLength(3);
    // The third answer asked for 5 s: longer than the 2 s of the schedule.
    await vi.advanceTimersByTimeAsync(4_999);
    expect(f.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(await p).toEqual(RECEIPT);
  });

  it("a retry_after beyond 30 s is waited 30 s, not longer", async () => {
    const f = fakeFetch(unavailable(3_600), json(202, RECEIPT));
    const p = client(f).reportEvent("S.abc", "app_open");
    await vi.advanceTimersByTimeAsync(29_999);
    expect(f.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await p).toEqual(RECEIPT);
  });

  it("gives up after its retries (default 3): the last 503 is thrown, the event not counted", async () => {
    const f = fakeFetch(
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
      json(202, RECEIPT),
    );
    const err = await settle(client(f).reportEvent("S.abc", "converted", 1));
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code: "unavailable", status: 503 });
    expect(f.sent).toHaveLength(4);
  });

  it("retries: 0 sends once", async () => {
    const f = fakeFetch(unavailable(), json(202, RECEIPT));
    const err = await settle(client(f).reportEvent("S.abc", "converted", 1, { retries: 0 }));
    expect(err).toMatchObject({ status: 503 });
    expect(f.sent).toHaveLength(1);
  });

  it("an answer is final: 403 and 429 are thrown at once, not sent again", async () => {
    for (const [status, error] of [
      [403, "forbidden"],
      [429, "rate_limited"],
    ] as const) {
      const f = fakeFetch(json(status, { error, message: "no" }), json(202, RECEIPT));
      const err = await settle(client(f).reportEvent("S.abc", "converted", 1));
      expect(err).toMatchObject({ code: error, status });
      expect(f.sent).toHaveLength(1);
    }
  });

  it("aborted while it waits to retry: no further send, the abort is thrown", async () => {
    const f = fakeFetch(unavailable(), json(202, RECEIPT));
    const ctl = new AbortController();
    const p = client(f).reportEvent("S.abc", "converted", 1, { signal: ctl.signal });
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    ctl.abort();
    await vi.runAllTimersAsync();
    expect(((await caught) as Error).name).toBe("AbortError");
    expect(f.sent).toHaveLength(1);
  });
});
