/**
 * Public URLs of this deployment: bridge links (what the QR carries) and their QR images.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { requestOrigin } from "../core/origin";

/** The kind of bridge link: a handoff token (`/h/`), a QR login token (`/l/`) or a poster code (`/p/`). */
export type LinkKind = "h" | "l" | "p";

/**
 * Origin plus base path of the bridge, from `QB_PUBLIC_URL` or else the request.
 *
 * @example
 * publicBase(c) // "https://qr.example.com" or "http://localhost:8787/qr"
 */
export function publicBase(c: Context<AppEnv>): string {
  const config = c.var.config;
  return config.publicUrl ?? requestOrigin(c.req.url) + config.basePath;
}

/**
 * The bridge link for a token or poster code, written in capitals so that the whole URL
 * encodes in QR alphanumeric mode (scheme, host and our paths are case-insensitive).
 *
 * @example
 * linkUrl(c, "h", token) // "HTTPS://QR.EXAMPLE.COM/H/8QK3…"
 */
export function linkUrl(c: Context<AppEnv>, kind: LinkKind, code: string): string {
  return `${publicBase(c)}/${kind}/${code}`.toUpperCase();
}

/**
 * URLs of the QR images of a link; a poster's carry its style's tag (`core/qr-style.ts`
 * `styleTag`), so they change when its style does and caches never serve the old drawing.
 *
 * @example
 * qrUrls(c, "p", code) // { svg: "https://…/qr/p/7K2M9QX4AB.svg", png: "https://…/qr/p/7K2M9QX4AB.png" }
 * qrUrls(c, "p", code, "1k3v9x0q2m").svg // "https://…/qr/p/7K2M9QX4AB.svg?v=1k3v9x0q2m"
 */
export function qrUrls(
  c: Context<AppEnv>,
  kind: LinkKind,
  code: string,
  styleTag: string | null = null,
): { svg: string; png: string } {
  const base = `${publicBase(c)}/qr/${kind}/${code}`;
  const v = styleTag ? `?v=${styleTag}` : "";
  return { svg: `${base}.svg${v}`, png: `${base}.png${v}` };
}

/**
 * The origin the page's QR `<img>` loads from when it is not the page's own: that of
 * `QB_PUBLIC_URL` when it is set and differs from the request's; null otherwise (the CSP's
 * `'self'` covers it). Pass it to `htmlResponse` as `imgOrigin`.
 *
 * @example
 * return htmlResponse(renderLandingPage(input, nonce), { nonce, imgOrigin: qrImageOrigin(c) });
 * // QB_PUBLIC_URL=https://qr.example.com, page served from https://example.workers.dev → "https://qr.example.com"
 */
export function qrImageOrigin(c: Context<AppEnv>): string | null {
  const origin = c.var.config.publicOrigin;
  // The runtime hands the request URL over normalized, as the origin is: a prefix test says
  // whether they are the same origin without parsing the URL on every scan.
  return origin !== null && !c.req.url.startsWith(`${origin}/`) ? origin : null;
}
