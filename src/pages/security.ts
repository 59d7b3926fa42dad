/**
 * Response headers for every HTML page the bridge serves. The pages carry tokens in their URL,
 * so nothing may leak them (no Referer, no framing, no third-party requests), and their only
 * script and style are inline blocks carrying a per-response nonce.
 */

/**
 * A fresh CSP nonce: 128 random bits, base64url without padding (22 characters).
 *
 * @example
 * const nonce = newNonce(); // "q7Vf3kX1…"
 * return htmlResponse(renderLandingPage(input, nonce), { nonce });
 */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The Content-Security-Policy of a page whose inline `<script>`/`<style>` carry `nonce`.
 *
 * @example
 * contentSecurityPolicy("abc"); // "default-src 'none'; script-src 'nonce-abc'; …"
 */
export function contentSecurityPolicy(nonce: string): string {
  // A quote or ";" in the nonce would rewrite the policy; newNonce() never produces one.
  if (!/^[A-Za-z0-9+/_=-]+$/.test(nonce)) throw new TypeError("nonce must come from newNonce()");
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), bluetooth=(), serial=(), hid=()";

/**
 * An HTML response with the security headers every bridge page needs: CSP bound to `nonce`,
 * `Referrer-Policy: no-referrer` (the URL holds a token), no framing, no sniffing, no indexing,
 * and `Cache-Control` (default `no-store`; pass a value such as `"private, max-age=60"` for
 * pages that may be cached). The page differs by language and device, so it varies on both.
 *
 * @example
 * const nonce = newNonce();
 * return htmlResponse(renderMessagePage({ status: 404, lang }, nonce), { status: 404, nonce });
 */
export function htmlResponse(
  html: string,
  opts: { status?: number; nonce: string; cache?: "no-store" | string },
): Response {
  const headers = new Headers({
    "content-type": "text/html; charset=utf-8",
    "cache-control": opts.cache ?? "no-store",
    "content-security-policy": contentSecurityPolicy(opts.nonce),
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "x-robots-tag": "noindex, nofollow",
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
    vary: "Accept-Language, User-Agent",
  });
  return new Response(html, { status: opts.status ?? 200, headers });
}
