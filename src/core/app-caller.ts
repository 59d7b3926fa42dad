/**
 * The device of an app calling the API (`POST /v1/resolve`, `POST /v1/events`), as opposed to
 * a phone opening a scan page. Apps call from their own HTTP stack, whose User-Agent may name
 * no OS at all (Dart's `Dart/3.3 (dart:io)`), so an app client may state its platform in the
 * `X-QB-Platform` header (`ios` or `android`; `src/client/app.ts` sends it when told).
 *
 * The header is trusted for one thing only: classifying the caller itself. A caller can say
 * anything about itself (it could send any User-Agent just as well), so this costs nothing; but
 * it must never decide the attribution of a scan someone else made: hops after a scan take the
 * scan's platform from the scan (the attribution session, the handoff's record).
 */
import { classifyDevice, type DeviceInfo, type HeaderReader } from "./device";

/** The header an app client states its platform in. */
export const PLATFORM_HEADER = "x-qb-platform";

const STATED = new Map<string, { platform: "ios" | "android"; os: string }>([
  ["ios", { platform: "ios", os: "iOS" }],
  ["android", { platform: "android", os: "Android" }],
]);

/**
 * Classify an app calling the API: `classifyDevice`, with the platform the app states in
 * `X-QB-Platform` when it states one (`ios` or `android`, any case; anything else is ignored).
 * The header changes the platform only: a bot's User-Agent stays a bot.
 *
 * @example
 * classifyAppCaller(new Headers({ "user-agent": "Dart/3.3 (dart:io)", "x-qb-platform": "ios" }));
 * // → { platform: "ios", os: "iOS", browser: null, bot: null, isHuman: true, … }
 */
export function classifyAppCaller(headers: HeaderReader): DeviceInfo {
  const info = classifyDevice(headers);
  const stated = STATED.get((headers.get(PLATFORM_HEADER) ?? "").trim().toLowerCase());
  if (stated && stated.platform !== info.platform) {
    info.platform = stated.platform;
    info.os = stated.os;
  }
  return info;
}
