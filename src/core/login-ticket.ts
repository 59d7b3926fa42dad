/**
 * A QR login's one-time ticket and its PKCE binding (RFC 7636, method S256).
 *
 * Ticket (48 uppercase Crockford base32 characters): LOGIN ID (20) | KID (2) | MAC (26, 130
 * bits of HMAC-SHA256(key[KID], "qb1.t." + ID + KID)). The MAC makes it unguessable and lets
 * the Worker refuse a forged ticket without touching storage; the login's object stores only
 * its SHA-256 and accepts it once. Derived, not drawn at random, so the Worker can hand it to
 * the PC page again (a reconnecting WebSocket, a long-poll) without the ticket being stored.
 *
 * The ticket alone is worth nothing: its exchange also needs the `code_verifier` whose S256
 * `code_challenge` the PC page sent when it created the login, and which never left that page.
 */
import { normalizeBase32 } from "./base32";
import { constantTimeEqual, type Keyring, macOf, TOKEN_ID_LENGTH } from "./token";

const KID_LENGTH = 2;
const TICKET_MAC_LENGTH = 26;
export const TICKET_LENGTH = TOKEN_ID_LENGTH + KID_LENGTH + TICKET_MAC_LENGTH;
/** A derived scan handle: all 256 bits of its HMAC. */
const SCAN_HANDLE_LENGTH = 52;

/** A PKCE S256 `code_challenge`: base64url of a SHA-256, no padding. */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A PKCE `code_verifier`: 43–128 unreserved characters (RFC 7636 §4.1). */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * base64url (no padding) of bytes.
 *
 * @example
 * base64url(new Uint8Array([255, 255])) // "__8"
 */
export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The S256 `code_challenge` of a `code_verifier`: base64url(SHA-256(ASCII verifier)).
 *
 * @example
 * await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
 * // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" (RFC 7636 appendix B)
 */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * The ticket of a login, signed with the keyring's current key.
 *
 * @example
 * const ticket = await signTicket(config.keyring, login.id); // 48 characters
 */
export async function signTicket(ring: Keyring, loginId: string): Promise<string> {
  const body = loginId + ring.current;
  const mac = await macOf(ring.keys.get(ring.current)!, `qb1.t.${body}`, TICKET_MAC_LENGTH);
  return body + mac;
}

/**
 * The `scan` handle of a scan that sent a `claim`: 52 base32 characters of HMAC-SHA256(current
 * key, "qb1.scan." + login id + "." + claim). Derived rather than drawn, as the
 * ticket is, so every answer to that claim — the first, a retry after a lost answer, tries that
 * crossed on the network — carries the same handle, and none of them leaves the app holding one
 * another try replaced. Without the bridge's key it is as unguessable as a random handle.
 *
 * @example
 * const handle = await scanHandleOf(config.keyring, loginId, body.claim);
 */
export async function scanHandleOf(ring: Keyring, loginId: string, claim: string): Promise<string> {
  // Its own prefix: no token, ticket or poster MAC is computed over a message that starts so.
  return macOf(ring.keys.get(ring.current)!, `qb1.scan.${loginId}.${claim}`, SCAN_HANDLE_LENGTH);
}

/**
 * Check a ticket's shape and MAC (any case, dashes ignored): returns its login id, or null for
 * anything this bridge did not sign. Pure CPU, before any storage is touched.
 *
 * @example
 * const id = await verifyTicket(config.keyring, body.ticket);
 * if (!id) throw new ApiError("invalid_grant", "not a ticket of this bridge");
 */
export async function verifyTicket(ring: Keyring, input: string): Promise<string | null> {
  const ticket = normalizeBase32(input);
  if (ticket === null || ticket.length !== TICKET_LENGTH) return null;
  const id = ticket.slice(0, TOKEN_ID_LENGTH);
  const kid = ticket.slice(TOKEN_ID_LENGTH, TOKEN_ID_LENGTH + KID_LENGTH);
  const key = ring.keys.get(kid);
  if (!key) return null;
  const expected = await macOf(key, `qb1.t.${id}${kid}`, TICKET_MAC_LENGTH);
  return constantTimeEqual(expected, ticket.slice(TICKET_LENGTH - TICKET_MAC_LENGTH)) ? id : null;
}
