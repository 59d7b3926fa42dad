/**
 * Poster attribution, pure: whether a poster is live right now, signed attribution sessions, and
 * deterministic event ids that make app events idempotent.
 *
 * A session is a signed token (tag "s", see token.ts) whose 20-character id names the poster,
 * the time of the scan and the scan's device (layout in session-id.ts). So an event carrying a
 * session names its poster, and the platform every later hop is attributed to, without any
 * storage written on the scan path: the scan stays one KV read plus a queued hop.
 */
import { decodeBase32Int, normalizeBase32 } from "./base32";
import type { DeviceInfo } from "./device";
import { sha256Hex } from "./hash";
import {
  newSessionId,
  posterIdOfSession,
  readSessionId,
  SESSION_TTL_SECONDS,
  type SessionDevice,
} from "./session-id";
import { type Keyring, macOf, signToken, type TokenCheck, verifyToken } from "./token";

export {
  newSessionId,
  posterIdOfSession,
  SESSION_TTL_SECONDS,
  type SessionDevice,
  type SessionVia,
} from "./session-id";

export type PosterStatus = "active" | "paused" | "revoked";

/** Why a scan is (or is not) served: `live`, or the reason it gets the 410 page. */
export type PosterState = "live" | "paused" | "revoked" | "not_started" | "ended";

/**
 * The state of a poster at `now` (unix ms). `active_until` is exclusive, `active_from` inclusive.
 * Revoked wins over paused, and both over the window.
 *
 * @example
 * posterState({ status: "active", active_from: null, active_until: 1_700_000_000_000 }, Date.now()) // "ended"
 */
export function posterState(
  p: { status: PosterStatus; active_from: number | null; active_until: number | null },
  now: number,
): PosterState {
  if (p.status === "revoked") return "revoked";
  if (p.status === "paused") return "paused";
  if (p.active_from !== null && now < p.active_from) return "not_started";
  if (p.active_until !== null && now >= p.active_until) return "ended";
  return "live";
}

/**
 * A deterministic hop event id for an app event: the same subject, type and idempotency key
 * always give the same id, so the hop log's `INSERT OR IGNORE` counts it once.
 *
 * @example
 * await appEventId("session:7K2M9Q8QK3T0M1ZC7X9R", "converted", "") // "ev_3f1c…" (32 hex)
 */
export async function appEventId(subject: string, type: string, key: string): Promise<string> {
  // Length-prefixed parts, so ("a", "bc") and ("ab", "c") never collide.
  const text = [subject, type, key].map((s) => `${s.length}:${s}`).join("|");
  return `ev_${(await sha256Hex(text)).slice(0, 32)}`;
}

/** A signed attribution session, as handed to the app. */
export interface Session {
  /** The token the app sends back (`s=` in the deep link, `session` in events). */
  token: string;
  id: string;
  posterId: string;
  /** Unix seconds. */
  expiresAt: number;
  /** Unix ms of the scan that started the session. */
  scannedAt: number;
  /** The scan's device; null for a session issued before ids carried it. */
  device: SessionDevice | null;
}

/**
 * Sign a fresh session for a scan of `posterId` at `nowMs` by `device`, valid for
 * {@link SESSION_TTL_SECONDS}.
 *
 * @example
 * const device = { platform: "ios", in_app: null, bot: false, via: "page" } as const;
 * const s = await issueSession(config.keyring, "7K2M9Q", device, Date.now());
 * deepLink.searchParams.set("s", s.token);
 */
export async function issueSession(
  ring: Keyring,
  posterId: string,
  device: SessionDevice,
  nowMs: number,
  tail?: string,
): Promise<Session> {
  const nowSeconds = Math.floor(nowMs / 1000);
  const t = await signToken(ring, "s", {
    id: newSessionId(posterId, device, nowMs, tail),
    expiresAt: nowSeconds + SESSION_TTL_SECONDS,
  });
  const { scannedAt } = readSessionId(t.id, t.expiresAt);
  return { token: t.token, id: t.id, posterId, expiresAt: t.expiresAt, scannedAt, device };
}

/**
 * How long the session of a bare poster link resolved with a claim stays the same: the scan
 * time it names is the start of a window of this length, so a retry in the same window gets the
 * same session. Long, so that a lost answer's retry (seconds later) crosses into the next window
 * rarely (a retry 5 s later: 1 in 120); short, so the scan time stays near the scan.
 */
export const CLAIM_WINDOW_MS = 600_000;

/**
 * The session of a bare poster link resolved at `nowMs` with the app's `claim`: the same for
 * every call with that claim in the same {@link CLAIM_WINDOW_MS} window, so a retry after a lost
 * answer continues the same session. Its scan time (the window's start, placed by the claim) and
 * its random tail both come from an HMAC of the claim with the signing key: unguessable without
 * the key, and as spread out as fresh sessions', so two apps' sessions do not collide more.
 *
 * @example
 * const device = { platform: "ios", in_app: null, bot: false, via: "direct" } as const;
 * const a = await claimedSession(ring, "7K2M9Q", device, claim, Date.now());
 * const b = await claimedSession(ring, "7K2M9Q", device, claim, Date.now() + 2_000);
 * a.token === b.token // true, unless a window started between the two calls
 */
export async function claimedSession(
  ring: Keyring,
  posterId: string,
  device: SessionDevice,
  claim: string,
  nowMs: number,
): Promise<Session> {
  const mac = await macOf(ring.keys.get(ring.current)!, `qb1.claim.${posterId}.${claim}`, 8);
  // A whole tenth of a second (the session id's unit), so the id says exactly this time.
  const phase = ((decodeBase32Int(mac.slice(5)) ?? 0) % (CLAIM_WINDOW_MS / 100)) * 100;
  const windowStart = nowMs - ((nowMs - phase) % CLAIM_WINDOW_MS);
  return issueSession(ring, posterId, device, windowStart, mac.slice(0, 5));
}

/**
 * The once-only id of the `scanned` hop of a bare poster link resolved with a claim: that of its
 * claimed session ({@link claimedSession}), so the scan counts once per session, as its
 * `app_open` does. A retry in the claim's window is the same session, so the same scan; a later
 * window is a new session and a new scan, so an app that sends one claim with two real scans 20
 * minutes apart counts two (an id of the poster and claim alone lost every later scan for as long
 * as once-only ids are kept, two weeks). The claim never goes in: the session id is stored anyway.
 *
 * @example
 * const session = await claimedSession(ring, "7K2M9Q", device, claim, Date.now());
 * await claimedScanEventId(session.id) // "ev_…" (32 hex)
 */
export function claimedScanEventId(sessionId: string): Promise<string> {
  return appEventId(`session:${sessionId}`, "scanned", "");
}

/**
 * Verify a session token (any case). An authentic but expired token says `expired`.
 *
 * @example
 * const check = await checkSession(config.keyring, body.session, nowSeconds);
 * if (check.ok) attributeTo(check.session.posterId);
 */
export async function checkSession(
  ring: Keyring,
  token: string,
  nowSeconds: number,
): Promise<
  | { ok: true; session: Session }
  | { ok: false; reason: Exclude<TokenCheck, { ok: true }>["reason"] }
> {
  const check = await verifyToken(ring, "s", token, nowSeconds);
  if (!check.ok) return { ok: false, reason: check.reason };
  const facts = readSessionId(check.id, check.expiresAt);
  return {
    ok: true,
    session: {
      token: normalizeBase32(token)!,
      id: check.id,
      posterId: posterIdOfSession(check.id),
      expiresAt: check.expiresAt,
      scannedAt: facts.scannedAt,
      device: facts.device,
    },
  };
}

/**
 * The session a deep link already carries (`s=`), if it is authentic, current, for this poster
 * and not one a bot started.
 *
 * @example
 * const reused = await sessionFromLink(config.keyring, url.searchParams, poster.id, nowSeconds);
 */
async function sessionFromLink(
  ring: Keyring,
  params: URLSearchParams,
  posterId: string,
  nowSeconds: number,
): Promise<Session | null> {
  const token = params.get("s") ?? params.get("S");
  if (!token || token.length > 100) return null;
  const check = await checkSession(ring, token, nowSeconds);
  if (!check.ok || check.session.posterId !== posterId) return null;
  // A session a bot started is no person's visit: a person following its link starts their own.
  return check.session.device?.bot ? null : check.session;
}

/**
 * A person's visit to a live poster: the session its link already carries (coming back through
 * the app link in a browser, the app missing, is the same visit), else a fresh one for this scan
 * on `device` through the landing page.
 *
 * @example
 * const visit = await visitOf(config.keyring, url.searchParams, poster.id, device, Date.now());
 * visit.reused; // true: the scan was counted when the session started
 */
export async function visitOf(
  ring: Keyring,
  params: URLSearchParams,
  posterId: string,
  device: { platform: SessionDevice["platform"]; in_app: SessionDevice["in_app"] },
  nowMs: number,
): Promise<{ session: Session; reused: boolean }> {
  const reused = await sessionFromLink(ring, params, posterId, Math.floor(nowMs / 1000));
  if (reused) return { session: reused, reused: true };
  const scan: SessionDevice = { ...device, bot: false, via: "page" };
  return { session: await issueSession(ring, posterId, scan, nowMs), reused: false };
}

/**
 * The device later hops of a session are attributed to: the one its id carries, or — for a
 * session issued before ids carried it — the caller's, as then.
 *
 * @example
 * const device = sessionDevice(session, classifyAppCaller(c.req.raw.headers));
 */
export function sessionDevice(
  session: Session,
  caller: Pick<DeviceInfo, "platform" | "inAppBrowser" | "isHuman">,
): SessionDevice {
  return (
    session.device ?? {
      platform: caller.platform,
      in_app: caller.inAppBrowser,
      bot: !caller.isHuman,
      via: "page",
    }
  );
}
