/**
 * Whether a URL the bridge will call (a webhook receiver) points at the public internet. The
 * bridge must never be made to POST into the network it runs in: loopback, private and
 * link-local ranges (169.254.169.254 is every cloud's metadata service), carrier-grade NAT,
 * unique-local IPv6, and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4).
 * Host names that only resolve inside a network (`localhost`, `*.internal`, `*.local`, one-label
 * names) are refused too, and so are names that spell an internal address for wildcard DNS
 * (`10.0.0.1.nip.io`). Pure: no DNS (a Worker has none to ask), so any other public name that
 * resolves to a private address is not caught here; Cloudflare's edge does not route to
 * private addresses, and redirects are never followed (see store/webhook-delivery.ts).
 */

/** Names that only mean something inside a network, as a label suffix (RFC 6761, 6762, 8375…). */
const INTERNAL_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "localdomain",
  "home.arpa",
  "lan",
  "intranet",
  "corp",
  "home",
];

/** Loopback targets allowed over plain http outside production, for local receivers. */
const LOCAL_HTTP_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Blocked IPv4 ranges: [first octets as a 32-bit number, prefix length, what it is]. */
const V4_BLOCKED: [number, number, string][] = [
  [ip4(0, 0, 0, 0), 8, "an unspecified address (0.0.0.0/8)"],
  [ip4(10, 0, 0, 0), 8, "a private address (10.0.0.0/8)"],
  [ip4(100, 64, 0, 0), 10, "a carrier-grade NAT address (100.64.0.0/10)"],
  [ip4(127, 0, 0, 0), 8, "a loopback address (127.0.0.0/8)"],
  [ip4(169, 254, 0, 0), 16, "a link-local address (169.254.0.0/16)"],
  [ip4(172, 16, 0, 0), 12, "a private address (172.16.0.0/12)"],
  [ip4(192, 0, 0, 0), 24, "a reserved address (192.0.0.0/24)"],
  [ip4(192, 0, 2, 0), 24, "a documentation address (192.0.2.0/24)"],
  [ip4(192, 88, 99, 0), 24, "a 6to4 relay address (192.88.99.0/24)"],
  [ip4(192, 168, 0, 0), 16, "a private address (192.168.0.0/16)"],
  [ip4(198, 18, 0, 0), 15, "a benchmarking address (198.18.0.0/15)"],
  [ip4(198, 51, 100, 0), 24, "a documentation address (198.51.100.0/24)"],
  [ip4(203, 0, 113, 0), 24, "a documentation address (203.0.113.0/24)"],
  [ip4(224, 0, 0, 0), 4, "a multicast address (224.0.0.0/4)"],
  [ip4(240, 0, 0, 0), 4, "a reserved or broadcast address (240.0.0.0/4)"],
];

/** The blocked ranges that reach into a network (unspecified, private, NAT, loopback, link-local). */
const V4_INSIDE: [number, number][] = [
  [ip4(0, 0, 0, 0), 8],
  [ip4(10, 0, 0, 0), 8],
  [ip4(100, 64, 0, 0), 10],
  [ip4(127, 0, 0, 0), 8],
  [ip4(169, 254, 0, 0), 16],
  [ip4(172, 16, 0, 0), 12],
  [ip4(192, 168, 0, 0), 16],
];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function inV4(addr: number, base: number, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (addr & mask) >>> 0 === base;
}

/**
 * Why an IPv4 address (a 32-bit number) is not a public one, or null when it is.
 *
 * @example
 * ipv4Problem(0xa9fea9fe) // "a link-local address (169.254.0.0/16)"
 * ipv4Problem(0x08080808) // null (8.8.8.8)
 */
export function ipv4Problem(addr: number): string | null {
  for (const [base, bits, what] of V4_BLOCKED) if (inV4(addr, base, bits)) return what;
  return null;
}

/**
 * An IPv4 host as the WHATWG URL parser reads one — 1 to 4 parts, each decimal, octal (`0…`)
 * or hex (`0x…`), the last filling the remaining bytes — or null when it is not one.
 * URL normalises these already; parsing again keeps the check right for any caller.
 *
 * @example
 * parseIpv4("2852039166")         // 2852039166 (169.254.169.254)
 * parseIpv4("0251.0376.0251.0376") // 2852039166
 * parseIpv4("example.com")        // null
 */
export function parseIpv4(host: string): number | null {
  const parts = host.replace(/\.$/, "").split(".");
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const part of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(part)) n = part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) n = Number.parseInt(part.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) n = Number(part);
    else return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  let addr = last;
  nums.forEach((n, i) => {
    addr += n * 256 ** (3 - i);
  });
  return addr;
}

/**
 * The eight 16-bit groups of an IPv6 address (brackets optional; `::` and a dotted IPv4 tail
 * allowed), or null when it is not one.
 *
 * @example
 * parseIpv6("[::ffff:169.254.169.254]") // [0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe]
 */
export function parseIpv6(text: string): number[] | null {
  let host = text.replace(/^\[|\]$/g, "").toLowerCase();
  if (host.includes("%")) return null; // a zone id never names a public host
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(host);
  if (dotted) {
    const o = dotted[2]!.split(".").map(Number);
    if (o.some((n) => n > 255)) return null;
    tail.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!);
    host = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = host.split("::");
  if (halves.length > 2) return null;
  const words = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  const missing = 8 - head.length - rest.length - tail.length;
  // "::" stands for at least one group; without it there must be exactly eight.
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
}

/**
 * Why an IPv6 address (eight groups) is not a public one, or null when it is. Forms that carry
 * an IPv4 address are judged by that address.
 *
 * @example
 * ipv6Problem(parseIpv6("::ffff:a9fe:a9fe")!) // "a link-local address (169.254.0.0/16)"
 */
export function ipv6Problem(g: number[]): string | null {
  const [a, b, c, d, e, f, hi, lo] = g as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const v4 = ((hi << 16) | lo) >>> 0;
  const zeroTo = (n: number) => g.slice(0, n).every((w) => w === 0);
  if (zeroTo(7) && lo <= 1)
    return lo === 0 ? "the unspecified address (::)" : "the loopback address (::1)";
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and ::ffff:0:a.b.c.d (translated): the
  // IPv4 address decides.
  if (zeroTo(5) && (f === 0xffff || f === 0)) return ipv4Problem(v4);
  if (zeroTo(4) && e === 0xffff && f === 0) return ipv4Problem(v4);
  if (a === 0x64 && b === 0xff9b) {
    if (c === 1) return "a local-use NAT64 address (64:ff9b:1::/48)";
    if (c === 0 && d === 0 && e === 0 && f === 0) return ipv4Problem(v4);
  }
  if (a < 0x100) return "a reserved address (::/8)";
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return "a discard-only address (100::/64)";
  if (a === 0x2002) return ipv4Problem(((b << 16) | c) >>> 0); // 6to4: the IPv4 is bits 16–48
  if (a === 0x2001 && b < 0x200) return "an IETF special-purpose address (2001::/23, Teredo)";
  if (a === 0x2001 && b === 0xdb8) return "a documentation address (2001:db8::/32)";
  if ((a & 0xfe00) === 0xfc00) return "a unique-local address (fc00::/7)";
  if ((a & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
  if ((a & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
  if ((a & 0xff00) === 0xff00) return "a multicast address (ff00::/8)";
  return null;
}

/**
 * Why a URL host (as `URL.hostname` gives it: lowercase, IPv6 in brackets) is not a public
 * internet host, or null when it is.
 *
 * @example
 * hostProblem("api.example.com")          // null
 * hostProblem("metadata.google.internal") // 'a name under ".internal" …'
 * hostProblem("[fd00::1]")                // "a unique-local address (fc00::/7)"
 */
export function hostProblem(hostname: string): string | null {
  const host = hostname.toLowerCase();
  if (host.startsWith("[")) {
    const groups = parseIpv6(host);
    return groups ? ipv6Problem(groups) : "not an IPv6 address";
  }
  const name = host.replace(/\.$/, "");
  const labels = name.split(".");
  // A host whose last label is a number is an IPv4 address to the URL parser, in any notation.
  if (/^(0x[0-9a-f]*|[0-9]+)$/.test(labels.at(-1) ?? "")) {
    const v4 = parseIpv4(name);
    return v4 === null ? "not an IPv4 address" : ipv4Problem(v4);
  }
  for (const suffix of INTERNAL_SUFFIXES) {
    if (name === suffix || name.endsWith(`.${suffix}`))
      return `a name under ".${suffix}", which only resolves inside a network`;
  }
  if (labels.length < 2) return "a one-label name, which only resolves inside a network";
  const spelled = spelledAddressProblem(name);
  if (spelled) return `a name that spells ${spelled} (wildcard DNS such as nip.io resolves it so)`;
  return null;
}

/**
 * Why a host name that spells an internal address is not a public host, or null. Wildcard DNS
 * services resolve such names to the address they spell (`10.0.0.1.nip.io`,
 * `app-10-0-0-1.sslip.io`, `0a000001.nip.io`, `fd00--1.sslip.io`), which is how a check without
 * DNS is walked around: any four numbers in a row between dots or dashes, an 8-digit hex token
 * (by the loopback, private, link-local and NAT ranges only) or a dashed IPv6 label are judged
 * as the address they are.
 *
 * @example
 * spelledAddressProblem("app.10.0.0.1.nip.io") // "a private address (10.0.0.0/8)"
 * spelledAddressProblem("52-1-2-3.sslip.io")   // null (a public address)
 */
function spelledAddressProblem(name: string): string | null {
  const tokens = name.split(/[.-]/);
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const four = tokens.slice(i, i + 4);
    if (four.every((t) => /^\d{1,3}$/.test(t) && Number(t) <= 255)) {
      const [a, b, c, d] = four.map(Number) as [number, number, number, number];
      const problem = ipv4Problem(ip4(a, b, c, d));
      if (problem) return problem;
    }
  }
  // Eight hex digits are also what a hash-named label looks like: judge them by the ranges
  // that reach into a network only (not multicast or reserved, an eighth of all such labels).
  for (const t of tokens) {
    if (!/^[0-9a-f]{8}$/.test(t)) continue;
    const addr = Number.parseInt(t, 16);
    if (V4_INSIDE.some(([base, bits]) => inV4(addr, base, bits))) return ipv4Problem(addr);
  }
  for (const label of name.split(".")) {
    if (!label.includes("--") && (label.match(/-/g)?.length ?? 0) < 7) continue;
    const groups = parseIpv6(label.replace(/-/g, ":"));
    const problem = groups ? ipv6Problem(groups) : null;
    if (problem) return problem;
  }
  return null;
}

/**
 * Check a URL the bridge will POST to: https to a public host, no credentials. Outside
 * production, plain http to `localhost`, `127.0.0.1` or `[::1]` is allowed for local testing
 * (`allowLocalHttp`). Returns the normalised URL, or the reason it is refused.
 *
 * @example
 * checkOutboundUrl("https://api.example.com/hook", { allowLocalHttp: false }) // { ok: true, url: "https://api.example.com/hook" }
 * checkOutboundUrl("https://169.254.169.254/", { allowLocalHttp: true })      // { ok: false, reason: "…link-local…" }
 * checkOutboundUrl("http://localhost:8788/hook", { allowLocalHttp: true })    // { ok: true, … }
 */
export function checkOutboundUrl(
  text: string,
  opts: { allowLocalHttp: boolean },
): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not contain credentials" };
  if (url.protocol === "http:" && opts.allowLocalHttp && LOCAL_HTTP_HOSTS.has(url.hostname))
    return { ok: true, url: url.href };
  if (url.protocol !== "https:") {
    return {
      ok: false,
      reason: "must be https (http is allowed only to localhost outside production)",
    };
  }
  const problem = hostProblem(url.hostname);
  if (problem) return { ok: false, reason: `must point at a public host, not ${problem}` };
  return { ok: true, url: url.href };
}
