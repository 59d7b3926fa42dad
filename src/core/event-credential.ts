/**
 * The events credential of a redeemed handoff: what lets the app that redeemed it report the
 * handoff's `app_open` and `converted` (`POST /v1/events`, sent as `session`, exactly as a
 * poster's attribution session is). The handoff link cannot stand in for it: the link is the QR
 * on the PC's screen, seen by anyone near it, while the credential is answered to one caller
 * only, the one whose `POST /v1/resolve` redeemed the handoff.
 *
 * A signed token (core/token.ts) with tag `e`: the handoff's id as ID, the end of its events
 * window as EXP. Stateless: stored nowhere, so checking one costs one HMAC per tag tried.
 */
import { EVENT_WINDOW_MS } from "./handoff";
import { type Keyring, signToken } from "./token";

/**
 * Sign the events credential of handoff `id`, redeemed at `redeemedAtMs` (unix ms). It expires
 * with the handoff's events window; `expiresAtMs` is that end, for the app.
 *
 * @example
 * const { token, expiresAtMs } = await issueEventCredential(config.keyring, handoff.id, Date.now());
 * body.session = token;
 */
export async function issueEventCredential(
  ring: Keyring,
  id: string,
  redeemedAtMs: number,
): Promise<{ token: string; expiresAtMs: number }> {
  const expiresAtMs = redeemedAtMs + EVENT_WINDOW_MS;
  // Rounded up: the handoff's object holds the window to the millisecond.
  const t = await signToken(ring, "e", { id, expiresAt: Math.ceil(expiresAtMs / 1000) });
  return { token: t.token, expiresAtMs };
}
