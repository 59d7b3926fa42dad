import { describe, expect, it } from "vitest";
import { canonicalIp, clientKey } from "../../src/core/client-ip";

describe("clientKey", () => {
  it("keys an IPv4 client by its address", () => {
    expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey(" 203.0.113.9 ")).toBe("203.0.113.9");
  });

  it("keys an IPv6 client by its /64, however the address is written", () => {
    const key = "2001:db8:1:2::/64";
    for (const ip of [
      "2001:db8:1:2::1",
      "2001:DB8:1:2:aaaa:bbbb:cccc:dddd",
      "2001:0db8:0001:0002:ffff::",
      "2001:db8:1:2:0:0:0:1",
    ])
      expect(clientKey(ip), ip).toBe(key);
    expect(clientKey("2001:db8:1:3::1")).not.toBe(key);
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });

  it("keys an IPv4-mapped IPv6 client by its IPv4 address, not by the /64 all of them share", () => {
    for (const ip of [
      "::ffff:192.0.2.1",
      "::FFFF:192.0.2.1",
      "0:0:0:0:0:ffff:c000:201",
      "::ffff:c000:0201",
    ])
      expect(clientKey(ip), ip).toBe("192.0.2.1");
    expect(clientKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    // Not mapped: IPv4-compatible (::a.b.c.d) and other prefixes stay IPv6 /64s.
    expect(clientKey("::192.0.2.1")).toBe("0:0:0:0::/64");
    expect(clientKey("::fffe:192.0.2.1")).toBe("0:0:0:0::/64");
    expect(clientKey("1::ffff:192.0.2.1")).toBe("1:0:0:0::/64");
  });

  it("keeps an unparsable value as given, bounded", () => {
    expect(clientKey("2001:db8:::1")).toBe("2001:db8:::1");
    expect(clientKey("1:2:3:4:5:6:7:8:9")).toBe("1:2:3:4:5:6:7:8:9");
    expect(clientKey(`x:${"a".repeat(200)}`)).toHaveLength(64);
  });
});

describe("canonicalIp", () => {
  it("spells IPv4 dotted, an IPv4-mapped address too", () => {
    for (const ip of ["192.0.2.1", " 192.0.2.1 ", "::ffff:192.0.2.1", "::FFFF:c000:0201"])
      expect(canonicalIp(ip), ip).toBe("192.0.2.1");
    // IPv4-compatible (::a.b.c.d) is not mapped: it stays IPv6.
    expect(canonicalIp("::192.0.2.1")).toBe("::c000:201");
  });

  it("spells IPv6 as RFC 5952 does, as Cloudflare sends it", () => {
    const cases: [string, string][] = [
      ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
      ["2001:db8::1", "2001:db8::1"],
      ["2001:db8:0:1:0:0:1:1", "2001:db8:0:1::1:1"], // the longest zero run
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // the first of two equal runs
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // one zero group is not "::"
      ["0:0:0:0:0:0:0:0", "::"],
      ["0:0:0:0:0:0:0:1", "::1"],
      ["1:0:0:0:0:0:0:0", "1::"],
      ["fe80::1%eth0", "fe80::1"],
    ];
    for (const [ip, want] of cases) expect(canonicalIp(ip), ip).toBe(want);
  });

  it("keeps an unparsable value as given, bounded", () => {
    expect(canonicalIp("2001:db8:::1")).toBe("2001:db8:::1");
    expect(canonicalIp("192.0.2.256")).toBe("192.0.2.256");
    expect(canonicalIp("Unknown")).toBe("unknown");
    expect(canonicalIp(`x${"a".repeat(200)}`)).toHaveLength(64);
  });
});
