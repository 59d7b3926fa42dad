/**
 * The Play install referrer: a deferred deep link for Android that needs no fingerprinting.
 *
 * The landing page's Google Play links carry `referrer=qb_ref%3D<VALUE>` in the Play Store URL.
 * Google Play keeps that string through the installation, and the app reads it once with the
 * Install Referrer API and sends it, exactly as returned, to `POST /v1/resolve {"referrer"}`.
 * Nothing about the person or the phone is matched: the string itself says which visit it is.
 *
 * VALUE is the signed token of the link it stands for, after one letter naming its kind: `H` +
 * the handoff's token (as in `/h/<TOKEN>`), `S` + the poster visit's attribution session (as in
 * `?s=`). So a referrer resolves exactly like its link — checked by the same MAC, living as long
 * (a handoff until its redeem window closes, a session 7 days) — and grants nothing the landing
 * page did not already show.
 */
import { normalizeBase32 } from "./base32";
import { TOKEN_LENGTH } from "./token";

/** The key of the bridge's part in the referrer string (`qb_ref=H…`). */
export const REFERRER_PARAM = "qb_ref";

/** What a referrer names: a handoff token or an attribution session token (not yet verified). */
export interface ReferrerParts {
  kind: "handoff" | "session";
  token: string;
}

/**
 * The referrer string for a link's token: what goes, URL-encoded, into the Play Store URL's
 * `referrer` parameter.
 *
 * @example
 * installReferrer("handoff", "8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN") // "qb_ref=H8QK3T0M1…"
 */
export function installReferrer(kind: ReferrerParts["kind"], token: string): string {
  return `${REFERRER_PARAM}=${kind === "handoff" ? "H" : "S"}${token}`;
}

/**
 * The kind and token of a referrer string as the Install Referrer API returns it (other
 * parameters such as `utm_source` are ignored), or null when it holds none of ours. The token is
 * only shaped here: the caller verifies it as it would the link's.
 *
 * @example
 * referrerParts("utm_source=qr&qb_ref=S7K2M9Q…") // { kind: "session", token: "7K2M9Q…" }
 */
export function referrerParts(referrer: string): ReferrerParts | null {
  const value = new URLSearchParams(referrer.trim()).get(REFERRER_PARAM) ?? "";
  const letter = value.charAt(0).toUpperCase();
  const token = normalizeBase32(value.slice(1));
  if ((letter !== "H" && letter !== "S") || token?.length !== TOKEN_LENGTH) return null;
  return { kind: letter === "H" ? "handoff" : "session", token };
}
