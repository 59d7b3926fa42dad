/**
 * Landing pages from per-isolate templates. Scans of one poster (or of the handoffs one site
 * creates for one path) by the same kind of phone get pages that differ only in the CSP nonce,
 * the attribution session, the handoff token and the expiry notice: so a page is rendered once
 * per poster (or path and metadata), language and device with stand-ins for those, and each
 * scan fills them in. The result is exactly what `renderLandingPage` gives (tested), at the cost
 * of joining a few strings.
 *
 * The stand-ins are random per isolate and use only characters that neither HTML escaping, URL
 * encoding nor upper-casing changes, like the values they stand for (a base64url nonce,
 * uppercase base32 tokens), so wherever the page writes a session or a token — an attribute,
 * a scheme URL, an `intent:` URL, the QR image path — the stand-in is written the same way and
 * found again. The expiry notice is cut out whole and rendered per scan (it counts down).
 */
import { customAlphabet } from "nanoid";
import type { AppsOptions } from "../config";
import { CROCKFORD } from "../core/base32";
import { BoundedCache } from "../core/bounded-cache";
import { renderExpiryNotice } from "./expiry-notice";
import { type LandingInput, renderLandingPage } from "./landing";
import { isNonce } from "./security";

interface StandIns {
  nonce: string;
  session: string;
  token: string;
  expiry: string;
  cut: RegExp;
}
let standIns: StandIns | null = null;

/** Created on first use: workerd forbids randomness while a Worker's global scope is evaluated. */
function slots(): StandIns {
  if (!standIns) {
    const upper = customAlphabet(CROCKFORD, 30);
    const lower = customAlphabet("abcdefghijklmnopqrstuvwxyz", 30);
    const s = {
      nonce: `qn${lower()}`,
      session: `QS${upper()}`,
      token: `QT${upper()}`,
      expiry: `qx${lower()}`,
    };
    standIns = { ...s, cut: new RegExp(`(${s.nonce}|${s.session}|${s.token}|${s.expiry})`) };
  }
  return standIns;
}

/**
 * What to write in `deepLinkParams` where the page's attribution session goes; the session
 * itself is passed to {@link landingPage}.
 *
 * @example
 * const deepLinkParams = { s: sessionSlot(), qb_link: `${link}?S=${sessionSlot()}` };
 * landingPage({ ...input, deepLinkParams }, nonce, { session: session.token });
 */
export function sessionSlot(): string {
  return slots().session;
}

/**
 * What to write where a handoff's token goes (its link, its QR image URL); the token itself is
 * passed to {@link landingPage}.
 *
 * @example
 * const link = linkUrl(c, "h", tokenSlot());
 * landingPage({ ...input, link }, nonce, { token });
 */
export function tokenSlot(): string {
  return slots().token;
}

/** What a scan fills in for the stand-ins it used. */
export interface LandingFill {
  session?: string;
  token?: string;
}

const BASE32 = /^[0-9A-Z]*$/;

/** A rendered page cut at its stand-ins: text, stand-in, text, …, text. */
type Template = string[];

const templates = new WeakMap<AppsOptions, BoundedCache<string, Template>>();

/**
 * The landing page for `input` with `nonce` (see `htmlResponse`), `fill.session` in place of
 * {@link sessionSlot} and `fill.token` in place of {@link tokenSlot}: from the isolate's
 * template for this page, rendered on first use; the expiry notice is rendered per call.
 * Throws a TypeError for a nonce, session or token with characters that would need escaping.
 *
 * @example
 * const nonce = newNonce();
 * const page = landingPage({ ...landing, deepLinkParams: { s: sessionSlot() } }, nonce, { session: session.token });
 * return htmlResponse(page, { nonce });
 */
export function landingPage(input: LandingInput, nonce: string, fill: LandingFill = {}): string {
  // Filled in as they are, unescaped: only values that escaping and URL encoding leave alone.
  if (!isNonce(nonce)) throw new TypeError("nonce must come from newNonce()");
  for (const value of [fill.session, fill.token]) {
    if (value !== undefined && !BASE32.test(value))
      throw new TypeError("session and token must be uppercase base32, as signToken writes them");
  }
  const slot = slots();
  // The key is everything the template depends on: not the clock, which only the notice uses.
  const { apps, now: _now, expiresAt: _expiresAt, ...page } = input;
  const key = JSON.stringify(page);
  let cache = templates.get(apps);
  if (!cache) {
    cache = new BoundedCache<string, Template>(500);
    templates.set(apps, cache);
  }
  let template = cache.get(key);
  if (!template) {
    template = renderLandingPage({ ...input, expirySlot: slot.expiry }, slot.nonce).split(slot.cut);
    cache.set(key, template);
  }
  let out = template[0]!;
  for (let i = 1; i < template.length; i += 2) {
    const standIn = template[i];
    const value =
      standIn === slot.nonce
        ? nonce
        : standIn === slot.session
          ? (fill.session ?? "")
          : standIn === slot.token
            ? (fill.token ?? "")
            : renderExpiryNotice(input);
    out += value + template[i + 1];
  }
  return out;
}
