/**
 * The URLs a landing page may point at: the bridge link itself (universal link / App Link), the
 * app's custom scheme, Android `intent:` URLs and http(s) store/fallback pages. Every builder
 * returns `null` rather than a dangerous URL: nothing but http(s), the configured scheme and the
 * `intent:` URLs built here ever reaches an `href`.
 */

import { ANDROID_PACKAGE } from "../apps-options";

// Schemes an operator must never configure as "the app's scheme".
const FORBIDDEN_SCHEMES = new Set([
  "javascript",
  "vbscript",
  "data",
  "blob",
  "file",
  "about",
  "filesystem",
  "http",
  "https",
  "intent",
  "ftp",
  "ws",
  "wss",
]);

/**
 * The URL if it is an absolute http(s) URL without credentials, else null. The text is returned
 * as given (so `HTTPS://QR.TEST/H/…` stays in capitals), only trimmed.
 *
 * @example
 * safeHttpUrl("https://example.com/a"); // "https://example.com/a"
 * safeHttpUrl("javascript:alert(1)");   // null
 * safeHttpUrl(" HTTPS://QR.TEST/H/X");  // "HTTPS://QR.TEST/H/X"
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  // Control characters and whitespace inside a URL are how filters get fooled ("java\tscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
  if (text === "" || /[\u0000-\u0020\u007f]/.test(text)) return null;
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.username || url.password || !url.hostname) return null;
  } catch {
    return null;
  }
  return text;
}

/**
 * The configured custom scheme, lowercased, if it is a plausible app scheme (RFC 3986 syntax and
 * not a web or script scheme), else null.
 *
 * @example
 * appScheme("Acme");       // "acme"
 * appScheme("javascript"); // null
 * appScheme("acme://");    // "acme" (a trailing "://" is forgiven)
 */
export function appScheme(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const scheme = value
    .trim()
    .replace(/:(\/\/)?$/, "")
    .toLowerCase();
  if (!/^[a-z][a-z0-9+.-]{0,63}$/.test(scheme) || FORBIDDEN_SCHEMES.has(scheme)) return null;
  return scheme;
}

/**
 * An in-app path made safe for a URL: starts with "/", keeps `?query`, percent-encodes anything
 * outside the URL path/query characters. `#` is always encoded, so a path can never add a
 * fragment (and with it `#Intent;…` parameters) to the URLs built from it.
 *
 * @example
 * encodeAppPath("/cart/42?ref=pc"); // "/cart/42?ref=pc"
 * encodeAppPath("cart/caf\u00e9");  // "/cart/caf%C3%A9"
 * encodeAppPath("/x#Intent;end");   // "/x%23Intent;end"
 */
export function encodeAppPath(path: string | null | undefined): string {
  const text = typeof path === "string" ? path.trim() : "";
  let out = "";
  const bytes = new TextEncoder().encode(text.startsWith("/") ? text : `/${text}`);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const ch = String.fromCharCode(b);
    const isPercentEscape =
      ch === "%" && /^[0-9A-Fa-f]{2}$/.test(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!));
    if (isPercentEscape || (b < 0x80 && /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/.test(ch))) out += ch;
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Append query parameters to a URL (or an app path), after any query it already has and before
 * any fragment.
 *
 * @example
 * withParams("/cart/42", { s: "abc" });            // "/cart/42?s=abc"
 * withParams("https://x.test/P/CODE?a=1", { s: "b c" }); // "https://x.test/P/CODE?a=1&s=b%20c"
 */
export function withParams(url: string, params: Record<string, string> | null | undefined): string {
  const entries = params ? Object.entries(params).filter(([k]) => k !== "") : [];
  if (entries.length === 0) return url;
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? "" : url.slice(hash);
  const query = entries
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  const sep = base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
  return `${base}${sep}${query}${fragment}`;
}

/**
 * `<scheme>://<appPath>` (plus params), or null without a valid scheme.
 *
 * @example
 * schemeUrl("acme", "/cart/42", { s: "S1" }); // "acme:///cart/42?s=S1"
 */
export function schemeUrl(
  scheme: string | null | undefined,
  appPath: string,
  params?: Record<string, string> | null,
): string | null {
  const s = appScheme(scheme);
  if (!s) return null;
  return `${s}://${withParams(encodeAppPath(appPath), params)}`;
}

/**
 * An Android `intent:` URL that opens the app by package. With a custom scheme it targets
 * `<scheme>://<appPath>`; without one it targets the https bridge link itself (an App Link), so
 * `intent:` works for apps that only declare App Links. The browser goes to `fallback` (http(s)
 * only) when the app is missing; with no fallback Chrome opens the Play Store page of `pkg`.
 *
 * @example
 * intentUrl({ scheme: "acme", pkg: "com.acme", appPath: "/cart/42", fallback: "https://acme.test/" });
 * // "intent:///cart/42#Intent;scheme=acme;package=com.acme;S.browser_fallback_url=https%3A%2F%2Facme.test%2F;end"
 * intentUrl({ pkg: "com.acme", link: "HTTPS://QR.TEST/H/TOKEN", appPath: "/x" });
 * // "intent://QR.TEST/H/TOKEN#Intent;scheme=https;package=com.acme;end"
 */
export function intentUrl(opts: {
  pkg: string | null | undefined;
  appPath: string;
  scheme?: string | null;
  link?: string | null;
  fallback?: string | null;
  params?: Record<string, string> | null;
}): string | null {
  const pkg = opts.pkg?.trim() ?? "";
  if (!ANDROID_PACKAGE.test(pkg)) return null;
  const scheme = appScheme(opts.scheme);
  let target: string;
  let targetScheme: string;
  if (scheme) {
    target = withParams(encodeAppPath(opts.appPath), opts.params);
    targetScheme = scheme;
  } else {
    const link = safeHttpUrl(opts.link);
    if (!link) return null;
    const m = /^(https?):\/\/([^#]*)/i.exec(link)!;
    target = withParams(m[2]!, opts.params);
    targetScheme = m[1]!.toLowerCase();
  }
  const fallback = safeHttpUrl(opts.fallback);
  const extra = fallback ? `S.browser_fallback_url=${encodeURIComponent(fallback)};` : "";
  return `intent://${target}#Intent;scheme=${targetScheme};package=${pkg};${extra}end`;
}

/**
 * The numeric App Store id in an App Store URL (for the Smart App Banner), or null.
 *
 * @example
 * appStoreId("https://apps.apple.com/us/app/acme/id1234567890"); // "1234567890"
 */
export function appStoreId(url: string | null | undefined): string | null {
  const safe = safeHttpUrl(url);
  if (!safe) return null;
  return (
    /^https:\/\/(?:apps|itunes)\.apple\.com\/.*\/id(\d{5,12})(?:[/?#]|$)/i.exec(safe)?.[1] ?? null
  );
}

const PLAY_HOST = "play.google.com";

/**
 * The Google Play link carrying an install referrer (core/install-referrer.ts) in its
 * `referrer` parameter, after any referrer the configured URL already has (`utm_source=…`).
 * Without a configured URL, the Play page of `pkg`. A configured URL on another host (an
 * attribution redirect) is returned unchanged: only Google Play hands `referrer` to the app.
 * Without a referrer, the configured URL as it is.
 *
 * @example
 * playStoreLink("https://play.google.com/store/apps/details?id=com.acme", null, "qb_ref=HABC")
 * // "https://play.google.com/store/apps/details?id=com.acme&referrer=qb_ref%3DHABC"
 * playStoreLink(null, "com.acme", "qb_ref=SXYZ")
 * // "https://play.google.com/store/apps/details?id=com.acme&referrer=qb_ref%3DSXYZ"
 */
export function playStoreLink(
  configured: string | null | undefined,
  pkg: string | null | undefined,
  referrer: string | null | undefined,
): string | null {
  const safe = safeHttpUrl(configured);
  if (!referrer) return safe;
  const name = pkg?.trim() ?? "";
  const base =
    safe ??
    (ANDROID_PACKAGE.test(name) ? `https://${PLAY_HOST}/store/apps/details?id=${name}` : null);
  if (!base) return null;
  const url = new URL(base);
  if (url.hostname.toLowerCase() !== PLAY_HOST) return base;
  const existing = url.searchParams.get("referrer");
  url.searchParams.set("referrer", existing ? `${existing}&${referrer}` : referrer);
  return url.toString();
}
