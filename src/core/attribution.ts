/**
 * Poster attribution, pure: whether a poster is live right now, the ids of attribution
 * sessions, and deterministic event ids that make app events idempotent.
 *
 * A session is a signed token (tag "s", see token.ts) whose 20-character id starts with the
 * 6-character poster id, followed by the second of the scan (7 characters) and 7 random
 * characters (35 bits; the token's MAC is what makes it unforgeable). So an event carrying a
 * session names its poster without any storage written on the scan path: the scan stays one
 * KV read plus a queued hop.
 */
import { customAlphabet } from "nanoid";
import { CROCKFORD, encodeBase32Int, normalizeBase32 } from "./base32";
import { sha256Hex } from "./hash";
import {
  type Keyring,
  POSTER_ID_LENGTH,
  signToken,
  TOKEN_ID_LENGTH,
  type TokenCheck,
  verifyToken,
} from "./token";

/** How long after a scan the app may report `app_open`/`converted` against it: 7 days. */
export const SESSION_TTL_SECONDS = 7 * 86_400;

export type PosterStatus = "active" | "paused" | "revoked";

/** Why a scan is (or is not) served: `live`, or the reason it gets the 410 page. */
export type PosterState = "live" | "paused" | "revoked" | "not_started" | "ended";

// After the poster id: the unix second (7 characters, good until 3058) and 35 random bits, so
// that sessions are appended to the `hops_session` index, as hop event ids are to the primary
// key (see eventId in store/hops.ts).
const SESSION_TIME_LENGTH = 7;
const sessionRandom = customAlphabet(
  CROCKFORD,
  TOKEN_ID_LENGTH - POSTER_ID_LENGTH - SESSION_TIME_LENGTH,
);

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
 * A fresh session id for a scan of `posterId` at `nowSeconds`: the poster id, the time (7
 * characters) and 7 random characters. Sessions of one poster sort by the time of their scan.
 *
 * @example
 * newSessionId("7K2M9Q", 1_767_225_600) // "7K2M9Q" + "1MNBE80" + "M1ZC7X9"
 */
export function newSessionId(posterId: string, nowSeconds: number): string {
  if (posterId.length !== POSTER_ID_LENGTH) throw new Error("poster id must be 6 characters");
  return posterId + encodeBase32Int(Math.floor(nowSeconds), SESSION_TIME_LENGTH) + sessionRandom();
}

/**
 * The poster id a session id was minted for.
 *
 * @example
 * posterIdOfSession("7K2M9Q8QK3T0M1ZC7X9R") // "7K2M9Q"
 */
export function posterIdOfSession(sessionId: string): string {
  return sessionId.slice(0, POSTER_ID_LENGTH);
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
}

/**
 * Sign a fresh session for a scan of `posterId`, valid for {@link SESSION_TTL_SECONDS}.
 *
 * @example
 * const s = await issueSession(config.keyring, "7K2M9Q", Math.floor(Date.now() / 1000));
 * deepLink.searchParams.set("s", s.token);
 */
export async function issueSession(
  ring: Keyring,
  posterId: string,
  nowSeconds: number,
): Promise<Session> {
  const t = await signToken(ring, "s", {
    id: newSessionId(posterId, nowSeconds),
    expiresAt: nowSeconds + SESSION_TTL_SECONDS,
  });
  return { token: t.token, id: t.id, posterId, expiresAt: t.expiresAt };
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
  return {
    ok: true,
    session: {
      token: normalizeBase32(token)!,
      id: check.id,
      posterId: posterIdOfSession(check.id),
      expiresAt: check.expiresAt,
    },
  };
}
