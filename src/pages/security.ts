/**
 * Response headers for every HTML page the bridge serves. The pages carry tokens in their URL,
 * so nothing may leak them (no Referer, no framing, no third-party requests), and their only
 * script and style are inline blocks carrying a per-response nonce.
 */
import { isHttpOrigin } from "../core/origin";

/**
 * A fresh CSP nonce: 22 random base64url characters (132 bits).
 *
 * @example
 * const nonce = newNonce(); // "q7Vf3kX1…"
 * return htmlResponse(renderLandingPage(input, nonce), { nonce });
 */
export function newNonce(): string {
  // 22 random base64url characters (132 bits), one per random byte's low six bits.
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let nonce = "";
  for (const b of bytes) nonce += BASE64URL[b & 63];
  return nonce;
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Whether `value` can be a nonce: base64 characters only, so it may be written into a policy
 * and into HTML as it is (no quote, space, ";" or "<").
 *
 * @example
 * isNonce(newNonce()); // true
 * isNonce(`x' 'unsafe-inline`); // false
 */
export function isNonce(value: string): boolean {
  return /^[A-Za-z0-9+/_=-]+$/.test(value);
}

/** What a page may need beyond its own origin. */
export interface PolicyOptions {
  /**
   * One more origin images may come from (the QR image when `QB_PUBLIC_URL` is another
   * origin than the page's): exactly `scheme://host[:port]`, as {@link httpOrigin} gives it.
   */
  imgOrigin?: string | null;
  /**
   * One more origin the page's script may call, over HTTP(S) and WebSockets (the demo's
   * `<qr-bridge>` talks to `QB_PUBLIC_URL`): exactly `scheme://host[:port]`, as for `imgOrigin`.
   */
  connectOrigin?: string | null;
}

/**
 * The Content-Security-Policy of a page whose inline `<script>`/`<style>` carry `nonce`,
 * optionally letting images come from one more origin. Throws a TypeError for a nonce or an
 * origin that could rewrite the policy (a quote, a space, a ";", a wildcard, a path…).
 *
 * @example
 * contentSecurityPolicy("abc"); // "default-src 'none'; script-src 'nonce-abc'; …; img-src 'self' data:; …"
 * contentSecurityPolicy("abc", { imgOrigin: "https://qr.example.com" }); // "…; img-src 'self' data: https://qr.example.com; …"
 */
export function contentSecurityPolicy(nonce: string, opts: PolicyOptions = {}): string {
  // A quote or ";" in the nonce would rewrite the policy; newNonce() never produces one.
  if (!isNonce(nonce)) throw new TypeError("nonce must come from newNonce()");
  const img = opts.imgOrigin ?? null;
  const connect = opts.connectOrigin ?? null;
  // Only an origin as httpOrigin() writes one: scheme, host and port, nothing else.
  for (const origin of [img, connect]) {
    if (origin !== null && (typeof origin !== "string" || !isHttpOrigin(origin)))
      throw new TypeError(
        "an extra origin must be an http(s) origin such as https://qr.example.com",
      );
  }
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    img === null ? "img-src 'self' data:" : `img-src 'self' data: ${img}`,
    // The WebSocket origin is named too: not every browser lets https: cover wss:.
    connect === null
      ? "connect-src 'self'"
      : `connect-src 'self' ${connect} ${connect.replace(/^http/, "ws")}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// Only features Chromium's Permissions-Policy parser knows: an unknown one (such as
// `bluetooth`, which is not a policy-controlled feature) is a console warning on every page.
const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()";

/**
 * An HTML response with the security headers every bridge page needs: CSP bound to `nonce`,
 * `Referrer-Policy: no-referrer` (the URL holds a token), no framing, no sniffing, no indexing,
 * and `Cache-Control` (default `no-store`; pass a value such as `"private, max-age=60"` for
 * pages that may be cached). The page differs by language and device, so a cacheable one
 * varies on both.
 * `imgOrigin` lets images come from one more origin (see {@link contentSecurityPolicy}).
 *
 * @example
 * const nonce = newNonce();
 * return htmlResponse(renderMessagePage({ status: 404, lang }, nonce), { status: 404, nonce });
 * return htmlResponse(renderLandingPage(input, nonce), { nonce, imgOrigin: qrImageOrigin(c) });
 */
export function htmlResponse(
  html: string,
  opts: { status?: number; nonce: string; cache?: "no-store" | string } & PolicyOptions,
): Response {
  const cache = opts.cache ?? "no-store";
  // A plain object, not a Headers instance: measured in workerd, ~6 µs less per page.
  const headers: Record<string, string> = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": cache,
    "content-security-policy": contentSecurityPolicy(opts.nonce, {
      imgOrigin: opts.imgOrigin,
      connectOrigin: opts.connectOrigin,
    }),
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "x-robots-tag": "noindex, nofollow",
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
  };
  // Vary only informs caches; a no-store page is never cached, so it would be bytes for nothing.
  if (cache !== "no-store") headers.vary = "Accept-Language, User-Agent";
  return new Response(html, { status: opts.status ?? 200, headers });
}
