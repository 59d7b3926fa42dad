/**
 * Base64url without padding, the form of the claims and PKCE values the bridge takes. Apart from
 * pkce.ts and app.ts so the app client does not pull in the embed's code to get it.
 */

/**
 * `bytes` as base64url, without `=` padding.
 *
 * @example
 * base64url(new Uint8Array([251, 255])) // "-_8"
 */
export const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
