/**
 * The key a client is rate limited by: its IP address as Cloudflare reports it
 * (`CF-Connecting-IP`). An IPv6 client is keyed by its /64: one subscriber (a phone, a home,
 * a server) holds a whole /64 and can pick a fresh address in it for every request, so a key
 * per address would be no limit at all. An IPv4-mapped address (`::ffff:192.0.2.1`) is an IPv4
 * client: its /64 would be every IPv4 client at once, one budget for all of them.
 */

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
  const groups = expandIpv6(text);
  if (!groups) return text;
  return mappedIpv4(groups) ?? `${groups.slice(0, 4).join(":")}::/64`;
}

/** The IPv4 address of `::ffff:a.b.c.d` (also written `::ffff:xxxx:xxxx`), else null. */
function mappedIpv4(groups: string[]): string | null {
  if (groups.slice(0, 5).some((g) => g !== "0") || groups[5] !== "ffff") return null;
  const tail = groups.slice(6);
  if (tail.length === 1) return tail[0]!; // written dotted: already the IPv4 address
  const [hi, lo] = tail.map((g) => Number.parseInt(g, 16)) as [number, number];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The 8 groups of an IPv6 address (leading zeros dropped), or null when it is not one. */
function expandIpv6(text: string): string[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups; only the first four matter.
  const tailGroups = tail.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const missing = 8 - head.length - tailGroups;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const last = groups.length - 1;
  for (const [i, g] of groups.entries()) {
    const ok = /^[0-9a-f]{1,4}$/.test(g) || (i === last && /^\d{1,3}(?:\.\d{1,3}){3}$/.test(g));
    if (!ok) return null;
  }
  return groups.map((g) => (g.includes(".") ? g : g.replace(/^0+(?=.)/, "")));
}
