/**
 * Reading a bridge link back: where a URL the app hands over points on this bridge.
 */
import { ApiError } from "./errors";
import { LINK_PARAM } from "./handoff";

const LINK_NAMES = { h: "handoff (/h/…)", l: "QR login (/l/…)", p: "poster (/p/…)" } as const;
/** A link's kind: a handoff token (`h`), a QR login token (`l`) or a poster code (`p`). */
export type BridgeLinkKind = keyof typeof LINK_NAMES;

/** A bridge link of one of the kinds asked for, and the URL it came in. */
export interface BridgeLink<K extends BridgeLinkKind = "h" | "p"> {
  kind: K;
  code: string;
  url: URL;
}

/**
 * Where `input` points on the bridge served at `base` (origin plus base path): `{kind, code,
 * url}`, or throws `invalid_url`. Accepts the bridge link in any case, under the base path, or
 * inside a custom-scheme URL as `?qb_link=` (the last one); `kinds` says which links the caller takes
 * (default: handoffs and posters; a QR login link gets a hint to the right endpoint).
 *
 * @example
 * bridgeLinkOf("https://qr.example.com", "HTTPS://QR.EXAMPLE.COM/H/8QK3…") // { kind: "h", code: "8QK3…", url }
 * bridgeLinkOf("https://qr.example.com", "acme:///cart?qb_link=HTTPS%3A%2F%2FQR.EXAMPLE.COM%2FP%2F7K2M9QX4AB") // { kind: "p", … }
 * bridgeLinkOf("https://qr.example.com", "HTTPS://QR.EXAMPLE.COM/L/5T…", ["l"]) // { kind: "l", … }
 */
export function bridgeLinkOf<K extends BridgeLinkKind = "h" | "p">(
  base: string,
  input: string,
  kinds: readonly K[] = ["h", "p"] as K[],
): BridgeLink<K> {
  let url = parseUrl(input);
  if (url && !/^https?:$/.test(url.protocol)) {
    // The landing page appends its link after the in-app path's own query, so the last
    // `qb_link` is the bridge's: an earlier one came with the path, from whoever wrote it.
    const inner = url.searchParams.getAll(LINK_PARAM).pop();
    url = inner ? parseUrl(inner) : null;
    if (url && !/^https?:$/.test(url.protocol)) url = null;
  }
  if (!url) throw new ApiError("invalid_url", "url: not an http(s) URL");
  const home = new URL(base);
  if (url.host.toLowerCase() !== home.host.toLowerCase()) {
    // Naming the host the bridge expects (its public URL, else the one it was called at) tells a
    // link made at `localhost` and resolved at `127.0.0.1`, or a stale QB_PUBLIC_URL, at once.
    throw new ApiError(
      "invalid_url",
      `url: not a link of this bridge, whose links are on ${home.host}`,
      { host: url.host, bridge_host: home.host },
    );
  }
  let path = url.pathname;
  const prefix = home.pathname.replace(/\/+$/, "").toLowerCase();
  if (prefix && path.toLowerCase().startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  const m = /^\/([hlp])\/([^/]+)\/?$/i.exec(path);
  const kind = m?.[1]?.toLowerCase() as K | undefined;
  if (!m || !kind || !kinds.includes(kind)) {
    const want = kinds.map((k) => LINK_NAMES[k]).join(" or ");
    const hint = kind === "l" ? ": a QR login link goes to POST /v1/logins/scan" : "";
    throw new ApiError("invalid_url", `url: not a ${want} link${hint}`);
  }
  return { kind, code: m[2]!, url };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text.trim());
  } catch {
    return null;
  }
}
