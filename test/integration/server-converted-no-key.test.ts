// A shop's server reporting orders with a secret key (events:write) but no idempotency key: each
// report of a session shares one event id, so the second order counts nothing while its answer
// is a 202 like any other. The contract stays; what pins it here is what docs/posters.md tells
// servers: the answer's `event_id` is the same as the first order's, the only sign (the Worker
// cannot know a duplicate before the queue consumer writes the hop).
import { describe, expect, it } from "vitest";
import { waitForFunnel } from "./funnel-helpers";
import { call, mintKey } from "./helpers";
import { makePoster, scannedSession } from "./poster-helpers";

const post = async (json: Record<string, unknown>, key: string) => {
  const res = await call("/v1/events", {
    method: "POST",
    json,
    headers: { authorization: `Bearer ${key}`, "user-agent": "python-requests/2.31" },
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { event_id: string }).event_id;
};

describe("server conversions of one session without an idempotency key", () => {
  it("the second order gets the first one's event_id and counts nothing; an order with a key counts", async () => {
    const p = await makePoster();
    const session = await scannedSession(p.code);
    const key = await mintKey("secret", ["events:write"]);
    const order = (value: number, extra: Record<string, unknown> = {}) =>
      post({ session, type: "converted", value, currency: "EUR", ...extra }, key);
    const first = await order(10);
    const second = await order(25); // another order of the same session, no key: dropped
    expect(second).toBe(first);
    // With its own key each order is an event of its own (sent last: a marker for the count).
    const keyed = await order(40, { idempotency_key: "order-3" });
    expect(keyed).not.toBe(first);
    const f = await waitForFunnel(p.id, (t) => t.converted >= 2);
    expect(f.totals).toMatchObject({ converted: 2, converted_value: { EUR: 50 } });
  });
});
