/**
 * The id of an attribution session (20 uppercase Crockford characters, 100 bits): what a poster
 * scan tells every later hop of its session without any storage written on the scan path.
 *
 * | characters | bits | content |
 * |---|---|---|
 * | 0–5   | 30 | the poster id |
 * | 6–12  | 35 | the time of the scan, in tenths of a second since 2020-01-01 UTC (good until 2128) |
 * | 13–14 | 10 | the scan's device: platform (2 bits), how the session started (1), bot (1), in-app browser (6) |
 * | 15–19 | 25 | random |
 *
 * The time comes right after the poster id, so the sessions of a poster sort by the time of
 * their scan (appended to the `hops_session` index, as hop event ids are to the primary key).
 * The id is inside the session token's MAC, so none of it can be forged.
 *
 * Sessions issued before this layout (poster id, unix second, 7 random characters) stay valid for
 * their 7 days; {@link readSessionId} tells them apart by their expiry: a session expires exactly
 * `SESSION_TTL_SECONDS` after the second its id names, and an old id read in the new layout never
 * does (only one minted around 2025-07-22 could, and such a session expired long ago).
 */
import { customAlphabet } from "nanoid";
import { CROCKFORD, decodeBase32Int, encodeBase32Int } from "./base32";
import type { InAppBrowser, Platform } from "./device";
import { POSTER_ID_LENGTH, TOKEN_ID_LENGTH } from "./token";

/** How long after a scan the app may report `app_open`/`converted` against it: 7 days. */
export const SESSION_TTL_SECONDS = 7 * 86_400;

/** 2020-01-01T00:00:00Z in ms: the zero of a session's scan time. */
const EPOCH_MS = 1_577_836_800_000;
const TIME_LENGTH = 7;
const DEVICE_LENGTH = 2;
const RANDOM_LENGTH = TOKEN_ID_LENGTH - POSTER_ID_LENGTH - TIME_LENGTH - DEVICE_LENGTH;
const random = customAlphabet(CROCKFORD, RANDOM_LENGTH);

/**
 * How a session started: `page` — a person was shown the landing page (`GET /p/…`), `direct` —
 * the app opened straight from the QR and `POST /v1/resolve` recorded the scan.
 */
export type SessionVia = "page" | "direct";

/** What a session id says about its scan's device. */
export interface SessionDevice {
  platform: Platform;
  in_app: InAppBrowser | null;
  bot: boolean;
  via: SessionVia;
}

// Codes are stored in session ids for 7 days: append only, never reorder.
const PLATFORMS: readonly Platform[] = ["other", "ios", "android", "desktop"];
const IN_APPS = [
  "wechat",
  "wecom",
  "qq",
  "weibo",
  "alipay",
  "taobao",
  "dingtalk",
  "feishu",
  "douyin",
  "tiktok",
  "xiaohongshu",
  "facebook",
  "messenger",
  "instagram",
  "line",
  "kakaotalk",
  "twitter",
  "linkedin",
  "snapchat",
  "pinterest",
  "telegram",
  "whatsapp",
] as const satisfies readonly InAppBrowser[];
// Fails to compile when an in-app browser is added to device-tables.ts but not here (≤ 63).
const everyInAppHasACode: Exclude<InAppBrowser, (typeof IN_APPS)[number]> extends never
  ? true
  : never = true;
void everyInAppHasACode;

function deviceCode(d: SessionDevice): number {
  const platform = Math.max(0, PLATFORMS.indexOf(d.platform));
  const inApp = d.in_app === null ? 0 : IN_APPS.indexOf(d.in_app as (typeof IN_APPS)[number]) + 1;
  return (platform << 8) | ((d.via === "direct" ? 1 : 0) << 7) | ((d.bot ? 1 : 0) << 6) | inApp;
}

function deviceOf(code: number): SessionDevice {
  return {
    platform: PLATFORMS[code >> 8] ?? "other",
    via: (code >> 7) & 1 ? "direct" : "page",
    bot: ((code >> 6) & 1) === 1,
    in_app: IN_APPS[(code & 63) - 1] ?? null,
  };
}

/**
 * A session id for a scan of `posterId` at `nowMs` by `device`, ending in `tail` (5 Crockford
 * characters; random unless given, as for a resolve with a claim, core/attribution.ts).
 *
 * @example
 * newSessionId("7K2M9Q", { platform: "ios", in_app: null, bot: false, via: "page" }, 1_767_225_600_000)
 * // "7K2M9Q" + "1RE4W00" (the scan's tenth of a second) + "80" (iOS, page) + "M1ZC7" (random)
 */
export function newSessionId(
  posterId: string,
  device: SessionDevice,
  nowMs: number,
  tail = random(),
): string {
  if (posterId.length !== POSTER_ID_LENGTH) throw new Error("poster id must be 6 characters");
  const tenths = Math.floor((nowMs - EPOCH_MS) / 100);
  return (
    posterId +
    encodeBase32Int(tenths, TIME_LENGTH) +
    encodeBase32Int(deviceCode(device), DEVICE_LENGTH) +
    tail.slice(0, RANDOM_LENGTH)
  );
}

/**
 * The poster id a session id was minted for (any layout).
 *
 * @example
 * posterIdOfSession("7K2M9Q1RE4W0080M1ZC7") // "7K2M9Q"
 */
export function posterIdOfSession(sessionId: string): string {
  return sessionId.slice(0, POSTER_ID_LENGTH);
}

/** What a session id says: its poster, when its scan was, and (this layout only) the device. */
export interface SessionFacts {
  posterId: string;
  /** Unix ms of the scan (to the tenth of a second; to the second for an older session). */
  scannedAt: number;
  /** The scan's device, or null for a session issued before the id carried it. */
  device: SessionDevice | null;
}

/**
 * Read an authentic session id, given its token's expiry (unix seconds).
 *
 * @example
 * readSessionId("7K2M9Q1RE4W0080M1ZC7", 1_767_830_400)
 * // { posterId: "7K2M9Q", scannedAt: 1_767_225_600_000, device: { platform: "ios", via: "page", … } }
 */
export function readSessionId(sessionId: string, expiresAt: number): SessionFacts {
  const posterId = posterIdOfSession(sessionId);
  const time = decodeBase32Int(sessionId.slice(POSTER_ID_LENGTH, POSTER_ID_LENGTH + TIME_LENGTH));
  const tenths = time ?? 0;
  const issuedAt = Math.floor(tenths / 10) + EPOCH_MS / 1000;
  if (issuedAt + SESSION_TTL_SECONDS === expiresAt) {
    const at = POSTER_ID_LENGTH + TIME_LENGTH;
    const code = decodeBase32Int(sessionId.slice(at, at + DEVICE_LENGTH)) ?? 0;
    return { posterId, scannedAt: EPOCH_MS + tenths * 100, device: deviceOf(code) };
  }
  // The layout before: the unix second of the scan, then random.
  return { posterId, scannedAt: (expiresAt - SESSION_TTL_SECONDS) * 1000, device: null };
}
