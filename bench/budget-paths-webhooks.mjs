// What a business pays for its webhooks: a hot poster scan whose `poster.scanned` event one
// endpoint subscribes to, its delivery (the hop consumer's fan-out, the WEBHOOKS queue, the
// webhook consumer's D1 read and attempt log, the POST), the same during a secret rotation
// (signed with both secrets), and with the endpoint paused (the delivery held, nothing sent).
// Each path's endpoint is the only active one (the previous path's is deleted), and they come
// last in the table: an endpoint subscribed to scans would change every later scan's figures.
// The bench's receiver (bench/miniflare-bench.mjs) answers every delivery 204.

import { ok, PHONE } from "./budget-seed.mjs";
import { ADMIN_KEY, RECEIVER_HOST } from "./miniflare-bench.mjs";

const admin = { key: ADMIN_KEY };

/**
 * The endpoint of the path `name`, made the only active one: a fresh endpoint subscribed to
 * `poster.scanned`, then `setup(id)` (a rotation, a pause) once.
 */
async function endpointFor(s, w, name, setup = async () => {}) {
  if (s.webhook?.name === name) return s.webhook.id;
  if (s.webhook)
    await ok(w.send(`/v1/webhooks/${s.webhook.id}`, { ...admin, method: "DELETE" }), 200, "delete");
  const json = { url: `https://${RECEIVER_HOST}/qrbridge`, events: ["poster.scanned"] };
  const { id } = (await ok(w.send("/v1/webhooks", { ...admin, json }), 201, "webhook")).json();
  await setup(id);
  s.webhook = { name, id };
  return id;
}

/** A hot poster scan (as the "poster scan, hot" path) while `name`'s endpoint is set up. */
const scanWith = (name, setup, check) => ({
  name,
  downstream: true,
  async prepare(s, n, w) {
    await endpointFor(s, w, name, setup ? (id) => setup(w, id) : undefined);
    await s.warmHot();
    return Array(n).fill(s.hot.url);
  },
  request: (url) => [url, { headers: { "user-agent": PHONE } }],
  status: 200,
  check,
});

/** Every scan delivered once, signed with `signatures` secrets. */
const delivered = (signatures) => (received, n) => {
  const right = received.filter((r) => r.event === "poster.scanned" && r.signatures === signatures);
  if (received.length !== n || right.length !== n)
    throw new Error(
      `expected ${n} deliveries signed ${signatures}×, got ${JSON.stringify(received)}`,
    );
};

export const WEBHOOK_PATHS = [
  scanWith("webhook delivery: poster scan, hot, 1 endpoint subscribed", null, delivered(1)),
  scanWith(
    "webhook delivery, secret rotating (signed with both secrets)",
    (w, id) =>
      ok(w.send(`/v1/webhooks/${id}/rotate-secret`, { ...admin, json: {} }), 201, "rotate"),
    delivered(2),
  ),
  scanWith(
    "webhook event held: poster scan, hot, endpoint paused",
    (w, id) =>
      ok(
        w.send(`/v1/webhooks/${id}`, { ...admin, method: "PATCH", json: { enabled: false } }),
        200,
        "pause",
      ),
    (received) => {
      if (received.length) throw new Error(`a paused endpoint got ${received.length} deliveries`);
    },
  ),
];
