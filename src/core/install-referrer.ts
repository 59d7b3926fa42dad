/**
 * The Play install referrer: a deferred deep link for Android that needs no fingerprinting.
 *
 * The landing page's Google Play links carry `referrer=qb_ref%3D<VALUE>` in the Play Store URL.
 * Google Play keeps that string through the installation, and the app reads it once with the
 * Install Referrer API and sends it, exactly as returned, to `POST /v1/resolve {"referrer"}`.
 * Nothing about the person or the phone is matched: the string itself says which visit it is.
 *
 * VALUE is one letter and a signed token (token.ts): `H` + a token over the handoff's id
 * (tag "rh"), or `S` + a token over the attribution session's id (tag "rs"). Its MAC binds the
 * kind, so a referrer can never pass for a handoff link, a session or the other kind, and its
 * own expiry keeps it short-lived: a handoff's referrer lasts the redeem window, a poster's
 * {@link LIMITS.installReferrerSeconds}.
 */
import { LIMITS } from "../config";
import { normalizeBase32 } from "./base32";
import { type Keyring, signToken, TOKEN_LENGTH, verifyToken } from "./token";

/** The key of the bridge's part in the referrer string (`qb_ref=H…`). */
export const REFERRER_PARAM = "qb_ref";

/** What a referrer stands for: a handoff (by id) or a poster visit (its session id). */
export interface ReferrerSubject {
  kind: "handoff" | "session";
  id: string;
}

/** A checked referrer, or why it is refused. */
export type ReferrerCheck =
  | ({ ok: true; expiresAt: number } & ReferrerSubject)
  | { ok: false; reason: "missing" | "malformed" | "unknown_key" | "bad_signature" }
  | ({ ok: false; reason: "expired"; expiresAt: number } & ReferrerSubject);

const KINDS = { H: "handoff", S: "session" } as const;
const TAGS = { handoff: "rh", session: "rs" } as const;

/**
 * Sign the referrer string for `subject`, valid until `expiresAt` (unix seconds): what goes,
 * URL-encoded, into the Play Store URL's `referrer` parameter.
 *
 * @example
 * await signInstallReferrer(ring, { kind: "handoff", id: "8QK3T0M1ZC7X9R2B4N6D" }, now + 900)
 * // "qb_ref=H8QK3T0M1ZC7X9R2B4N6D…" (1 + 42 characters after "=")
 */
export async function signInstallReferrer(
  ring: Keyring,
  subject: ReferrerSubject,
  expiresAt: number,
): Promise<string> {
  const t = await signToken(ring, TAGS[subject.kind], { id: subject.id, expiresAt });
  const letter = subject.kind === "handoff" ? "H" : "S";
  return `${REFERRER_PARAM}=${letter}${t.token}`;
}

/**
 * How long a referrer signed at `nowSeconds` stays valid: a handoff's for the redeem window (the
 * object enforces the real one), a poster visit's for a day, never past its session.
 *
 * @example
 * referrerExpiry("session", now, { redeemWindow: 900, sessionExpiresAt: now + 7 * 86_400 }) // now + 86_400
 */
export function referrerExpiry(
  kind: ReferrerSubject["kind"],
  nowSeconds: number,
  opts: { redeemWindow: number; sessionExpiresAt?: number },
): number {
  if (kind === "handoff") return nowSeconds + opts.redeemWindow;
  const day = nowSeconds + LIMITS.installReferrerSeconds;
  return Math.min(day, opts.sessionExpiresAt ?? day);
}

/** The bridge's value in a referrer string as the Install Referrer API returns it. */
function bridgeValue(referrer: string): string | null {
  const value = new URLSearchParams(referrer.trim()).get(REFERRER_PARAM);
  return value === null || value === "" ? null : value;
}

/**
 * Check a referrer string (the whole string the Install Referrer API returned; other
 * parameters such as `utm_source` are ignored). "expired" is only said of an authentic one.
 *
 * @example
 * const r = await readInstallReferrer(ring, "utm_source=qr&qb_ref=H8QK3…", nowSeconds);
 * if (r.ok && r.kind === "handoff") redeem(r.id);
 */
export async function readInstallReferrer(
  ring: Keyring,
  referrer: string,
  nowSeconds: number,
): Promise<ReferrerCheck> {
  const value = bridgeValue(referrer);
  if (value === null) return { ok: false, reason: "missing" };
  const kind = KINDS[value.charAt(0).toUpperCase() as keyof typeof KINDS];
  const token = normalizeBase32(value.slice(1));
  if (!kind || token === null || token.length !== TOKEN_LENGTH)
    return { ok: false, reason: "malformed" };
  const check = await verifyToken(ring, TAGS[kind], token, nowSeconds);
  if (check.ok) return { ok: true, kind, id: check.id, expiresAt: check.expiresAt };
  if (check.reason === "expired")
    return { ok: false, reason: "expired", kind, id: check.id, expiresAt: check.expiresAt };
  return { ok: false, reason: check.reason };
}

/**
 * Whether a landing page for `device` shows a Google Play link (so it needs a referrer): an
 * Android app is configured, and the phone is an Android one (or one the page cannot tell,
 * which is shown both stores) not stuck in an in-app browser.
 *
 * @example
 * if (offersPlayStore(config.apps, device)) landing.installReferrer = await signInstallReferrer(…);
 */
export function offersPlayStore(
  apps: { playStoreUrl?: string; androidPackage?: string },
  device: { platform: string; blocksAppLinks: boolean },
): boolean {
  const phone = device.platform === "android" || device.platform === "other";
  if (!phone || device.blocksAppLinks) return false;
  return Boolean(apps.playStoreUrl?.trim() || apps.androidPackage?.trim());
}
