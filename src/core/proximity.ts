/**
 * Proximity signals of a QR login (RFC 10027 "establish proximity"): are the phone and the PC on
 * the same network, and how far apart are the places Cloudflare located them in? Both are weak
 * signals — a VPN or a mobile network moves a device, an attacker in the same café shares its
 * network — so they are shown to the approving backend and enforced only when it asks.
 *
 * A network is an IPv4 /24 or an IPv6 /48, kept only as a hash salted with the deployment's
 * salt and the login id: the raw address is never stored, and the prefixes of two logins cannot
 * be joined. Pure, apart from the hash.
 */
import { ipv4Octets, ipv6Groups, mappedIpv4 } from "./client-ip";
import type { GeoPoint, LoginProximity } from "./login-record";

/**
 * The network an address belongs to: its IPv4 /24 (`4:a.b.c`) or IPv6 /48 (`6:x:y:z`); an
 * IPv4-mapped IPv6 address counts as IPv4. Null when the text is not an address.
 *
 * @example
 * networkPrefix("203.0.113.77")        // "4:203.0.113"
 * networkPrefix("2001:db8:1:2::5")     // "6:2001:db8:1"
 * networkPrefix("::ffff:203.0.113.77") // "4:203.0.113"
 */
export function networkPrefix(ip: string | null | undefined): string | null {
  if (!ip || ip.length > 64) return null;
  const text = ip.trim().replace(/%.*$/, ""); // an IPv6 zone ("%eth0") is local detail
  const v4 = ipv4Octets(text);
  if (v4) return `4:${v4.slice(0, 3).join(".")}`;
  const g = ipv6Groups(text);
  if (!g) return null;
  const mapped = mappedIpv4(g);
  if (mapped) return `4:${mapped.split(".").slice(0, 3).join(".")}`;
  return `6:${g
    .slice(0, 3)
    .map((x) => x.toString(16))
    .join(":")}`;
}

/**
 * The salted hash of an address's network, for one login: hex SHA-256 of
 * `salt:loginId:prefix`, first 32 characters. Null when the address is unknown.
 *
 * @example
 * await networkHash(config.ipSalt, id, c.req.header("cf-connecting-ip")) // "3f9a…" or null
 */
export async function networkHash(
  salt: string,
  loginId: string,
  ip: string | null | undefined,
): Promise<string | null> {
  const prefix = networkPrefix(ip);
  if (prefix === null) return null;
  const data = new TextEncoder().encode(`${salt}:${loginId}:${prefix}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  let hex = "";
  for (const b of digest.subarray(0, 16)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The place `request.cf` gives (`latitude`, `longitude`: strings in production), rounded to
 * 0.01° (about a kilometre: no finer than the city-level guess it is); null when absent.
 *
 * @example
 * geoPointOf({ latitude: "52.52437", longitude: "13.41053" }) // { lat: 52.52, lon: 13.41 }
 */
export function geoPointOf(
  cf: { latitude?: unknown; longitude?: unknown } | undefined,
): GeoPoint | null {
  const num = (v: unknown) =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  const lat = num(cf?.latitude);
  const lon = num(cf?.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat: Math.round(lat * 100) / 100, lon: Math.round(lon * 100) / 100 };
}

/**
 * Great-circle distance in whole kilometres (haversine, mean Earth radius 6,371 km).
 *
 * @example
 * distanceKm({ lat: 52.52, lon: 13.41 }, { lat: 48.14, lon: 11.58 }) // 504 (Berlin–Munich)
 */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h))));
}

/**
 * The proximity of two requests, each described by its network hash and place.
 *
 * @example
 * proximityOf({ network: "ab", location: berlin }, { network: "ab", location: berlin })
 * // { same_network: true, distance_km: 0 }
 */
export function proximityOf(
  pc: { network: string | null; location: GeoPoint | null },
  phone: { network: string | null; location: GeoPoint | null },
): LoginProximity {
  return {
    same_network: pc.network && phone.network ? pc.network === phone.network : null,
    distance_km: pc.location && phone.location ? distanceKm(pc.location, phone.location) : null,
  };
}

/** What an approving backend may require (`POST /v1/logins/:id/approve`). */
export interface ProximityPolicy {
  require_same_network?: boolean;
  max_distance_km?: number;
}

/**
 * Why a proximity fails a policy, or null when it passes. An unknown signal fails a policy
 * that asks for it: deny by default.
 *
 * @example
 * proximityProblem({ same_network: false, distance_km: 3 }, { require_same_network: true })
 * // "the phone and the computer are not on the same network"
 */
export function proximityProblem(p: LoginProximity, policy: ProximityPolicy): string | null {
  if (policy.require_same_network && p.same_network !== true) {
    return p.same_network === null
      ? "the network of the phone or the computer is unknown"
      : "the phone and the computer are not on the same network";
  }
  const max = policy.max_distance_km;
  if (max !== undefined && (p.distance_km === null || p.distance_km > max)) {
    return p.distance_km === null
      ? "the location of the phone or the computer is unknown"
      : `the phone is ${p.distance_km} km from the computer (at most ${max} km allowed)`;
  }
  return null;
}
