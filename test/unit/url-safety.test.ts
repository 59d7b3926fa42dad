import { describe, expect, it } from "vitest";
import {
  checkOutboundUrl,
  hostProblem,
  ipv6Problem,
  parseIpv4,
  parseIpv6,
} from "../../src/core/url-safety";

const prod = { allowLocalHttp: false };
const dev = { allowLocalHttp: true };
const refused = (url: string, opts = prod) => {
  const r = checkOutboundUrl(url, opts);
  return r.ok ? null : r.reason;
};

describe("checkOutboundUrl", () => {
  it("accepts https to public hosts, IPv4 and IPv6 literals included", () => {
    for (const url of [
      "https://api.example.com/hook",
      "https://hooks.example.co.uk:8443/x?y=1",
      "https://8.8.8.8/",
      "https://1.1.1.1/",
      "https://100.63.255.255/", // just below CGNAT
      "https://100.128.0.0/", // just above CGNAT
      "https://172.15.255.255/",
      "https://172.32.0.0/",
      "https://169.253.255.255/",
      "https://[2606:4700:4700::1111]/",
      "https://[::ffff:8.8.8.8]/", // mapped, public IPv4
      "https://[64:ff9b::808:808]/", // NAT64 of 8.8.8.8
      "https://[2002:808:808::1]/", // 6to4 of 8.8.8.8
    ]) {
      expect(refused(url), url).toBeNull();
    }
  });

  it("refuses every address the attack used, in every environment", () => {
    for (const url of [
      "https://169.254.169.254/latest/meta-data/",
      "https://127.0.0.1/",
      "https://[::1]/",
      "https://10.0.0.1/",
      "https://192.168.0.1/",
      "https://0.0.0.0/",
      "https://[fd00::1]/",
      "https://[::ffff:a9fe:a9fe]/",
      "https://metadata.google.internal/",
    ]) {
      expect(refused(url), url).toMatch(/^must point at a public host/);
      expect(refused(url, dev), url).toMatch(/^must point at a public host/);
    }
  });

  it("refuses decimal, hex, octal and short IPv4 spellings of internal addresses", () => {
    for (const url of [
      "https://2852039166/",
      "https://0xa9fea9fe/",
      "https://0251.0376.0251.0376/",
      "https://0xa9.0xfe.0xa9.0xfe/",
      "https://169.254.43518/",
      "https://127.1/",
      "https://0x7f.1/",
      "https://0/",
      "https://169.254.169.254./",
      "https://%31%32%37.0.0.1/",
    ]) {
      expect(refused(url), url).toMatch(/not (a link-local|a loopback|an unspecified) address/);
    }
  });

  it("refuses names that resolve only inside a network", () => {
    for (const url of [
      "https://localhost/",
      "https://LOCALHOST./",
      "https://api.localhost/",
      "https://printer.local/",
      "https://metadata.google.internal./",
      "https://nas.home.arpa/",
      "https://db.localdomain/",
      "https://router.lan/",
      "https://intranet/",
    ]) {
      expect(refused(url), url).toMatch(/only resolves inside a network/);
    }
  });

  it("allows plain http only to loopback and only outside production", () => {
    for (const url of ["http://localhost:8788/hook", "http://127.0.0.1:3000/", "http://[::1]:9/"]) {
      expect(refused(url, dev), url).toBeNull();
      expect(refused(url, prod), url).toMatch(/^must be https/);
    }
    expect(refused("http://hooks.example.com/", dev)).toMatch(/^must be https/);
    expect(refused("http://10.0.0.1/", dev)).toMatch(/^must be https/);
    // https to loopback is no local receiver exception: refused everywhere.
    expect(refused("https://localhost:8788/", dev)).toMatch(/public host/);
  });

  it("refuses credentials, other schemes and non-URLs", () => {
    expect(refused("https://user:pw@api.example.com/")).toBe("must not contain credentials");
    expect(refused("ftp://api.example.com/")).toMatch(/^must be https/);
    expect(refused("not a url")).toBe("not a URL");
    // What looks like 127.0.0.1 before "@" is a user name; the host is evil.example.
    expect(refused("https://127.0.0.1%2f@evil.example/")).toBe("must not contain credentials");
  });
});

describe("IPv4 ranges", () => {
  const cases: [string, RegExp | null][] = [
    ["0.1.2.3", /unspecified/],
    ["10.255.255.255", /private/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.255", /carrier-grade NAT/],
    ["127.255.0.1", /loopback/],
    ["169.254.0.1", /link-local/],
    ["172.16.0.1", /private/],
    ["172.31.255.255", /private/],
    ["192.0.0.8", /reserved/],
    ["192.0.2.10", /documentation/],
    ["192.88.99.1", /6to4 relay/],
    ["192.168.255.255", /private/],
    ["198.18.0.1", /benchmarking/],
    ["198.19.255.255", /benchmarking/],
    ["198.51.100.7", /documentation/],
    ["203.0.113.9", /documentation/],
    ["224.0.0.1", /multicast/],
    ["239.255.255.250", /multicast/],
    ["240.0.0.1", /reserved or broadcast/],
    ["255.255.255.255", /reserved or broadcast/],
    ["9.9.9.9", null],
    ["192.0.1.255", null],
    ["198.20.0.0", null],
  ];
  for (const [host, expected] of cases) {
    it(`${host} → ${expected ?? "public"}`, () => {
      const problem = hostProblem(host);
      if (expected) expect(problem).toMatch(expected);
      else expect(problem).toBeNull();
    });
  }

  it("parses every WHATWG IPv4 notation, and nothing else", () => {
    expect(parseIpv4("169.254.169.254")).toBe(0xa9fea9fe);
    expect(parseIpv4("2852039166")).toBe(0xa9fea9fe);
    expect(parseIpv4("0xA9FEA9FE")).toBe(0xa9fea9fe);
    expect(parseIpv4("0251.0376.0251.0376")).toBe(0xa9fea9fe);
    expect(parseIpv4("127.1")).toBe(0x7f000001);
    expect(parseIpv4("10.1.65535")).toBe(0x0a01ffff);
    expect(parseIpv4("0x")).toBe(0);
    expect(parseIpv4("256.0.0.1")).toBeNull();
    expect(parseIpv4("1.2.3.4.5")).toBeNull();
    expect(parseIpv4("4294967296")).toBeNull();
    expect(parseIpv4("09.1.1.1")).toBeNull();
    expect(parseIpv4("example.com")).toBeNull();
    // A last label that is a number but no address is refused rather than looked up.
    expect(hostProblem("1.2.3.4.5")).toBe("not an IPv4 address");
  });
});

describe("IPv6 ranges", () => {
  const cases: [string, RegExp | null][] = [
    ["[::]", /unspecified/],
    ["[::1]", /loopback/],
    ["[::ffff:127.0.0.1]", /loopback/],
    ["[::ffff:7f00:1]", /loopback/],
    ["[::ffff:a9fe:a9fe]", /link-local/],
    ["[::ffff:10.1.2.3]", /private/],
    ["[::ffff:0:a9fe:a9fe]", /link-local/], // IPv4-translated
    ["[::7f00:1]", /loopback/], // IPv4-compatible
    ["[::192.168.1.1]", /private/],
    ["[64:ff9b::a9fe:a9fe]", /link-local/],
    ["[64:ff9b::10.0.0.1]", /private/],
    ["[64:ff9b:1::1]", /local-use NAT64/],
    ["[2002:a9fe:a9fe::1]", /link-local/],
    ["[2002:c0a8:101::]", /private/],
    ["[2001:0:4136:e378::1]", /Teredo/],
    ["[2001:db8::1]", /documentation/],
    ["[100::1]", /discard-only/],
    ["[::2:3:4]", /reserved/],
    ["[fc00::1]", /unique-local/],
    ["[fdff:ffff::1]", /unique-local/],
    ["[fe80::1]", /link-local/],
    ["[febf::1]", /link-local/],
    ["[fec0::1]", /site-local/],
    ["[ff02::1]", /multicast/],
    ["[2606:4700::6810:84e5]", null],
    ["[2a00:1450:4001:82b::200e]", null],
  ];
  for (const [host, expected] of cases) {
    it(`${host} → ${expected ?? "public"}`, () => {
      const problem = hostProblem(host);
      if (expected) expect(problem).toMatch(expected);
      else expect(problem).toBeNull();
    });
  }

  it("parses compressed, full and dotted forms, and refuses malformed ones", () => {
    expect(parseIpv6("[::ffff:169.254.169.254]")).toEqual([0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe]);
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6("1::8")).toEqual([1, 0, 0, 0, 0, 0, 0, 8]);
    expect(parseIpv6("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6("1:2:3:4:5:6:1.2.3.4")).toEqual([1, 2, 3, 4, 5, 6, 0x102, 0x304]);
    for (const bad of [
      "1:2:3",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "::g",
      "fe80::1%eth0",
      "::1.2.3.256",
    ])
      expect(parseIpv6(bad), bad).toBeNull();
    expect(hostProblem("[fe80::1%eth0]")).toBe("not an IPv6 address");
    expect(ipv6Problem([0x2606, 0x4700, 0, 0, 0, 0, 0, 1])).toBeNull();
  });
});
