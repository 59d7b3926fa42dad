/**
 * Reading a bridge link back: where a URL the app hands over points on this bridge.
 */
import { ApiError } from "./errors";
import { LINK_PARAM } from "./handoff";

/** A bridge link: a handoff token (`h`) or a poster code (`p`), and the URL it came in. */
export interface BridgeLink {
  kind: "h" | "p";
  code: string;
  url: URL;
}

/**
 * Where `input` points on the bridge served at `base` (origin plus base path): `{kind, code,
 * url}`, or throws `invalid_url`. Accepts the bridge link in any case, under the base path, or
 * inside a custom-scheme URL as `?qb_link=`.
 *
 * @example
 * bridgeLinkOf("https://qr.example.com", "HTTPS://QR.EXAMPLE.COM/H/8QK3…") // { kind: "h", code: "8QK3…", url }
 * bridgeLinkOf("https://qr.example.com", "acme:///cart?qb_link=HTTPS%3A%2F%2FQR.EXAMPLE.COM%2FP%2F7K2M9QX4AB") // { kind: "p", … }
 */
export function bridgeLinkOf(base: string, input: string): BridgeLink {
  let url = parseUrl(input);
  if (url && !/^https?:$/.test(url.protocol)) {
    const inner = url.searchParams.get(LINK_PARAM);
    url = inner ? parseUrl(inner) : null;
    if (url && !/^https?:$/.test(url.protocol)) url = null;
  }
  if (!url) throw new ApiError("invalid_url", "url: not an http(s) URL");
  const home = new URL(base);
  if (url.host.toLowerCase() !== home.host.toLowerCase()) {
    throw new ApiError("invalid_url", "url: not a link of this bridge", { host: url.host });
  }
  let path = url.pathname;
  const prefix = home.pathname.replace(/\/+$/, "").toLowerCase();
  if (prefix && path.toLowerCase().startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  const m = /^\/([hp])\/([^/]+)\/?$/i.exec(path);
  if (!m) throw new ApiError("invalid_url", "url: not a handoff (/h/…) or poster (/p/…) link");
  return { kind: m[1]!.toLowerCase() as "h" | "p", code: m[2]!, url };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text.trim());
  } catch {
    return null;
  }
}
