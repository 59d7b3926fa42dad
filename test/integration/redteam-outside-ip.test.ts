// Red team from outside: client addresses as Cloudflare could hand them over. An IPv4 client
// written as an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is one IPv4 client: its budget is
// its own, not one shared by every such client (their /64 is ::/64, all of IPv4 at once), and
// one person in the funnel's unique scanners, however the address is spelt.
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

describe("one address spelt several ways", () => {
  it("is one unique scanner: the scans carry one IP hash per address", async () => {
    const w = capturingWorker();
    const poster = await makePoster();
    const spellings = {
      v4: ["203.0.113.9", "::ffff:203.0.113.9", "::FFFF:cb00:7109", "0:0:0:0:0:ffff:203.0.113.9"],
      v6: ["2001:db8::1", "2001:0DB8:0:0:0:0:0:0001", "2001:db8:0::1"],
      other: ["203.0.113.10", "2001:db8::2"],
    };
    const hashOf = async (ip: string) => {
      const start = w.rows.length;
      expect((await w.fetch(`/p/${poster.code}`, ip)).status, ip).toBe(200);
      const scan = w.rows.slice(start).filter((r) => r.hop === "scanned" && !r.bot);
      expect(scan, ip).toHaveLength(1);
      return scan[0]!.ip_hash;
    };
    const hashesOf = async (ips: string[]) => {
      const hashes = [];
      for (const ip of ips) hashes.push(await hashOf(ip));
      return hashes;
    };
    const v4 = await hashesOf(spellings.v4);
    const v6 = await hashesOf(spellings.v6);
    const others = await hashesOf(spellings.other);
    expect(new Set(v4).size).toBe(1);
    expect(new Set(v6).size).toBe(1);
    expect(v4[0]).toMatch(/^[0-9a-f]{16}$/);
    // Different people stay different.
    expect(new Set([v4[0], v6[0], ...others]).size).toBe(4);
  });
});
