// Red team from outside: client addresses as Cloudflare could hand them over. An IPv4 client
// written as an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is one IPv4 client: its budget is
// its own, not one shared by every such client (their /64 is ::/64, all of IPv4 at once).
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { BASE, hopCapturingWorker, untilThrottled, windowedLimiter } from "./helpers";
import { IPHONE, makePoster } from "./poster-helpers";

const FAILURE_LIMIT = RATE_LIMITS.failures;

function capturingWorker() {
  const { send, rows } = hopCapturingWorker({
    FAILURE_LIMITER: windowedLimiter(FAILURE_LIMIT),
    CLIENT_LIMITER: windowedLimiter(RATE_LIMITS.client),
  });
  const fetch = (path: string, ip: string) =>
    send(
      new Request(`${BASE}${path}`, { headers: { "cf-connecting-ip": ip, "user-agent": IPHONE } }),
    );
  return { fetch, rows };
}

/** A forged poster code: the right shape, a MAC that cannot match. */
const forgedCode = (i: number) => `ZY${String(i).padStart(4, "0")}0000`;

describe("IPv4-mapped client addresses", () => {
  it("each have their own failure budget: one guesser does not throttle the others' scans", async () => {
    const w = capturingWorker();
    const guesser = "::ffff:198.51.100.7";
    const { before } = await untilThrottled(
      (i) => w.fetch(`/p/${forgedCode(i)}`, guesser),
      FAILURE_LIMIT + 1,
    );
    expect(before.length).toBe(FAILURE_LIMIT);

    // Another person, on another IPv4 network, written the same way (dotted and in hex).
    const poster = await makePoster();
    for (const other of ["::ffff:203.0.113.20", "::ffff:cb00:7115"]) {
      const scanned = () => w.rows.filter((r) => r.hop === "scanned" && r.poster_id === poster.id);
      const start = scanned().length;
      expect((await w.fetch(`/p/${forgedCode(500)}`, other)).status, other).toBe(404);
      expect((await w.fetch(`/p/${poster.code}`, other)).status, other).toBe(200);
      expect(scanned().length - start, other).toBe(1);
    }
  });

  it("share the budget of the same address written as plain IPv4", async () => {
    const w = capturingWorker();
    const { before } = await untilThrottled(
      (i) => w.fetch(`/p/${forgedCode(100 + i)}`, i % 2 ? "192.0.2.77" : "::ffff:192.0.2.77"),
      2 * FAILURE_LIMIT + 1,
    );
    expect(before.length).toBe(FAILURE_LIMIT);
  });
});
