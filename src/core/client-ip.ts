/**
 * A client's IP address as Cloudflare reports it (`CF-Connecting-IP`), read one way for every
 * use: the rate-limit key (`clientKey`), a QR login's network (core/proximity.ts) and a
 * person's daily unique-scanner hash (`canonicalIp`, store/hops.ts).
 *
 * An IPv6 client is rate limited by its /64: one subscriber (a phone, a home, a server) holds a
 * whole /64 and can pick a fresh address in it for every request, so a key per address would be
 * no limit at all. An IPv4-mapped address (`::ffff:192.0.2.1`) is an IPv4 client everywhere:
 * its /64 would be every IPv4 client at once, and as a scanner it is the same person as
 * `192.0.2.1`.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The four octets of a dotted IPv4 address (no leading zeros, each ≤ 255), or null.
 *
 * @example
 * ipv4Octets("203.0.113.9") // [203, 0, 113, 9]
 * ipv4Octets("203.0.113.09") // null
 */
export function ipv4Octets(text: string): number[] | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o, i) => o <= 255 && String(o) === m[i + 1]) ? octets : null;
}

/**
 * The eight 16-bit groups of an IPv6 address (`::` expanded, an IPv4 tail split), or null.
 *
 * @example
 * ipv6Groups("2001:db8::1")        // [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]
 * ipv6Groups("::ffff:192.0.2.1")   // [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201]
 */
export function ipv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = ipv4Octets(piece);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** The dotted IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else null. */
export function mappedIpv4(groups: number[]): string | null {
  if (groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff) return null;
  return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
}

/** The text of an address as reported, trimmed, without an IPv6 zone (`%eth0`), lowercased. */
const cleaned = (ip: string) => ip.trim().replace(/%.*$/, "").toLowerCase();

/**
 * The rate-limit key of a client address: an IPv4 address as is, an IPv6 address by its /64
 * prefix (`2001:db8:1:2::/64`), an IPv4-mapped IPv6 address as its IPv4 address, anything
 * unparsable as given (lowercased, at most 64 characters).
 *
 * @example
 * clientKey("203.0.113.9")               // "203.0.113.9"
 * clientKey("2001:DB8:1:2:aaaa::1")      // "2001:db8:1:2::/64"
 * clientKey("2001:db8::1")               // "2001:db8:0:0::/64"
 * clientKey("::ffff:203.0.113.9")        // "203.0.113.9"
 */
export function clientKey(ip: string): string {
  const text = ip.trim().toLowerCase().slice(0, 64);
  if (!text.includes(":")) return text;
  const groups = ipv6Groups(text);
  if (!groups) return text;
  return mappedIpv4(groups) ?? `${groups.slice(0, 4).map(hex).join(":")}::/64`;
}

/**
 * One spelling per address, so one person is one unique scanner however the address was
 * written: IPv4 dotted (an IPv4-mapped IPv6 address too), IPv6 in RFC 5952's form (lowercase,
 * no leading zeros, the longest run of two or more zero groups as `::`) — the form Cloudflare
 * sends, so a hash made before this spelling existed stays the same. Unparsable text is kept
 * trimmed and lowercased (at most 64 characters).
 *
 * @example
 * canonicalIp("::ffff:203.0.113.9")          // "203.0.113.9"
 * canonicalIp("2001:0DB8:0:0:0:0:0:0001")    // "2001:db8::1"
 * canonicalIp("2001:db8:0:1:0:0:1:1")        // "2001:db8:0:1::1:1"
 */
export function canonicalIp(ip: string): string {
  const text = cleaned(ip).slice(0, 64);
  if (!text.includes(":")) return ipv4Octets(text)?.join(".") ?? text;
  const groups = ipv6Groups(text);
  if (!groups) return text;
  const mapped = mappedIpv4(groups);
  if (mapped) return mapped;
  // RFC 5952 §4.2: the longest run of zero groups (≥ 2; the first of equal runs) becomes "::".
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > best.length) best = { at: i, length: end - i };
    i = end === i ? i + 1 : end;
  }
  if (best.at < 0) return groups.map(hex).join(":");
  const run = (from: number, to?: number) => groups.slice(from, to).map(hex).join(":");
  return `${run(0, best.at)}::${run(best.at + best.length)}`;
}

const hex = (group: number) => group.toString(16);
