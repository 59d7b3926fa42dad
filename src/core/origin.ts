/**
 * Origins that may be written into a header as they are (a CSP source, an allow-list entry).
 */

// scheme://host[:port], the host being DNS labels (letters, digits, inner hyphens) or a
// bracketed IPv6 address. Nothing else — no quote, space, ";", ",", "*" or "_" — can pass.
const LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
const ORIGIN = new RegExp(
  `^https?://(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::\\d{1,5})?$`,
);

/**
 * The origin of an http(s) URL, normalized by the URL parser (lowercase host, default port
 * dropped), or null when the URL does not parse, is not http(s), or its host holds anything
 * but letters, digits, dots and hyphens (or an IPv6 address). The URL parser alone lets `'`
 * and `;` through in a host, so an origin is only ever taken from here before it reaches a
 * header.
 *
 * @example
 * httpOrigin("https://QR.example.com:443/go/") // "https://qr.example.com"
 * httpOrigin("http://localhost:8787") // "http://localhost:8787"
 * httpOrigin("https://evil.example;script-src") // null
 * httpOrigin("javascript:alert(1)") // null
 */
export function httpOrigin(url: string): string | null {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  return isHttpOrigin(origin) ? origin : null;
}

/**
 * Whether `text` is already exactly an origin as {@link httpOrigin} writes one (lowercase
 * `scheme://host[:port]`), so it can go into a header as it is. A string test, no URL parse.
 *
 * @example
 * isHttpOrigin("https://qr.example.com") // true
 * isHttpOrigin("https://qr.example.com; script-src *") // false
 */
export function isHttpOrigin(text: string): boolean {
  return ORIGIN.test(text);
}

/**
 * The origin of a URL the runtime has already serialized (a `Request.url`): everything before
 * the path, found by string search instead of a URL parse (a scan asks for it twice). Falls
 * back to the parser for anything unusual (credentials in the authority, no `://`).
 *
 * @example
 * requestOrigin("https://qr.example.com/p/7K2M9QX4AB?s=1") // "https://qr.example.com"
 * requestOrigin("http://localhost:8787/") // "http://localhost:8787"
 */
export function requestOrigin(url: string): string {
  const start = url.indexOf("://");
  if (start !== -1) {
    const end = url.indexOf("/", start + 3);
    const origin = end === -1 ? url : url.slice(0, end);
    if (!origin.includes("@") && !origin.includes("?") && !origin.includes("#")) return origin;
  }
  return new URL(url).origin;
}
