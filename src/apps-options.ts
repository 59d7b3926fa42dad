/**
 * The app settings (`apps` options, the `QB_IOS_*`, `QB_ANDROID_*`, store and fallback
 * variables) and their checks when the bridge resolves its configuration. These values are
 * published as they are — in the association files Apple and Google cache, and as links on
 * every landing page — so a malformed one is an error: the bridge refuses to serve and says
 * which variable to fix, rather than publish something that cannot work. A value that is well
 * formed but incomplete or unusual is a warning: the bridge serves, logs it, and `/healthz`
 * lists it. config.ts re-exports {@link AppsOptions} with the other options.
 */
import type { DeployEnv } from "./config";

/** Apps the links open. Feeds the landing page and `/.well-known/*` association files. */
export interface AppsOptions {
  /** Shown on the landing page ("Open in Acme"). */
  name?: string;
  /** Custom URL scheme without "://", e.g. "acme"; the landing page offers `acme://<path>`. */
  scheme?: string;
  /** iOS app ids for universal links: "TEAMID.com.example.app". */
  iosAppIds?: string[];
  /**
   * Also associate QR login links (`/l/…`) with the iOS app (`QB_LOGIN_APP_LINKS`), so a phone
   * camera opens a login QR straight in the app. Opt-in: an app that does not route `/l/`
   * universal links to `scanLogin` would open on them and show nothing. Android needs no
   * setting (the app's manifest lists its paths). Default false.
   */
  loginAppLinks?: boolean;
  /**
   * App Clip ids, "TEAMID.com.example.app.Clip": the association file's `appclips` section, and
   * the first one on the landing page's Smart App Banner (which needs `appStoreUrl`).
   */
  appClipIds?: string[];
  appStoreUrl?: string;
  /** Android package name for App Links and `intent:` URLs. */
  androidPackage?: string;
  /** SHA-256 fingerprints of the Android signing certificates ("AB:CD:…"). */
  androidSha256?: string[];
  playStoreUrl?: string;
  /** Where a phone without the app (or a desktop) may continue on the web. */
  webFallbackUrl?: string;
}

/** What {@link checkAppsOptions} found: errors refuse to serve, warnings do not. */
export interface AppsCheck {
  errors: string[];
  warnings: string[];
}

/** A Team ID (10 upper-case letters or digits), a dot, a bundle id (letters, digits, "-", "."). */
const IOS_APP_ID = /^[A-Z0-9]{10}\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
/** An Android package name: dot-separated Java identifiers (it is spliced into `intent:` URLs). */
export const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** 32 hex bytes joined by colons, or the same 64 digits bare (written in colon form when served). */
const SHA256_FINGERPRINT = /^(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}|[0-9A-Fa-f]{64})$/;

// Hosts a store button normally points at; another host (an attribution redirect, say) works
// but is worth a second look.
const STORE_HOSTS = {
  appStoreUrl: ["apps.apple.com", "itunes.apple.com"],
  playStoreUrl: ["play.google.com"],
} as const;

const VARIABLES = {
  iosAppIds: "QB_IOS_APP_IDS (apps.iosAppIds)",
  appClipIds: "QB_APP_CLIP_IDS (apps.appClipIds)",
  loginAppLinks: "QB_LOGIN_APP_LINKS (apps.loginAppLinks)",
  androidSha256: "QB_ANDROID_SHA256 (apps.androidSha256)",
  androidPackage: "QB_ANDROID_PACKAGE (apps.androidPackage)",
  appStoreUrl: "QB_APP_STORE_URL (apps.appStoreUrl)",
  playStoreUrl: "QB_PLAY_STORE_URL (apps.playStoreUrl)",
  webFallbackUrl: "QB_WEB_FALLBACK_URL (apps.webFallbackUrl)",
} as const;

// Values are quoted in messages so a stray space or an empty entry shows; they are public by
// design (association files, landing pages), and cut short all the same.
const quote = (value: string) =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

function checkUrl(
  field: "appStoreUrl" | "playStoreUrl" | "webFallbackUrl",
  value: string | undefined,
  env: DeployEnv,
  out: AppsCheck,
): void {
  const text = value?.trim();
  if (!text) return;
  const name = VARIABLES[field];
  let url: URL | null = null;
  try {
    // Whitespace inside is not a URL the landing page would link (pages/deep-links.ts).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    if (!/[\u0000-\u0020\u007f]/.test(text)) url = new URL(text);
  } catch {
    // Reported below.
  }
  if (!url) {
    out.errors.push(`${name}: ${quote(text)} is not a URL; write it in full, https://…`);
    return;
  }
  if (url.protocol === "http:" && env !== "production") {
    out.warnings.push(`${name} is plain http; production refuses anything but https`);
  } else if (url.protocol !== "https:" || url.username || url.password) {
    out.errors.push(
      `${name}: ${quote(text)} must be an https:// URL without credentials (the landing page links to it)`,
    );
    return;
  }
  const hosts = field === "webFallbackUrl" ? null : (STORE_HOSTS[field] as readonly string[]);
  if (hosts && !hosts.includes(url.hostname.toLowerCase()))
    out.warnings.push(`${name} points at ${url.hostname}, not at ${hosts.join(" or ")}`);
}

/**
 * Check the app settings. Empty values count as unset.
 *
 * @example
 * checkAppsOptions({ iosAppIds: ["com.acme.shop"] }, "production").errors
 * // ['QB_IOS_APP_IDS (apps.iosAppIds): "com.acme.shop" is not TEAMID.bundle.id …']
 */
export function checkAppsOptions(apps: AppsOptions, env: DeployEnv): AppsCheck {
  const out: AppsCheck = { errors: [], warnings: [] };
  // App Clips are named like apps: the Team ID, a dot, the clip's bundle id.
  for (const field of ["iosAppIds", "appClipIds"] as const) {
    for (const id of apps[field] ?? []) {
      const text = id.trim();
      if (text && !IOS_APP_ID.test(text))
        out.errors.push(
          `${VARIABLES[field]}: ${quote(text)} is not TEAMID.bundle.id (the 10-character Team ID from your Apple developer account, a dot, then the bundle id, e.g. ABCDE12345.com.acme.shop)`,
        );
    }
  }
  const prints = (apps.androidSha256 ?? []).map((s) => s.trim()).filter(Boolean);
  for (const print of prints) {
    if (!SHA256_FINGERPRINT.test(print))
      out.errors.push(
        `${VARIABLES.androidSha256}: ${quote(print)} is not a SHA-256 certificate fingerprint (32 hex bytes separated by colons, e.g. 14:6D:E9:…:44:E5, as keytool -list -v or the Play Console shows it)`,
      );
  }
  const pkg = apps.androidPackage?.trim();
  if (pkg && !ANDROID_PACKAGE.test(pkg))
    out.errors.push(
      `${VARIABLES.androidPackage}: ${quote(pkg)} is not an Android package name (dot-separated identifiers, e.g. com.acme.shop)`,
    );
  if (prints.length > 0 && !pkg)
    out.warnings.push(
      `${VARIABLES.androidSha256} is set without ${VARIABLES.androidPackage}: assetlinks.json stays empty`,
    );
  if (pkg && prints.length === 0)
    out.warnings.push(
      `${VARIABLES.androidPackage} is set without ${VARIABLES.androidSha256}: assetlinks.json stays empty, so App Links do not open the app`,
    );
  if (apps.loginAppLinks && !(apps.iosAppIds ?? []).some((id) => id.trim()))
    out.warnings.push(
      `${VARIABLES.loginAppLinks} is on without ${VARIABLES.iosAppIds}: no iOS app to open login links in, so it has no effect`,
    );
  checkUrl("appStoreUrl", apps.appStoreUrl, env, out);
  checkUrl("playStoreUrl", apps.playStoreUrl, env, out);
  checkUrl("webFallbackUrl", apps.webFallbackUrl, env, out);
  return out;
}
