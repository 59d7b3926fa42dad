/**
 * Landing pages from per-isolate templates. A printed poster is scanned over and over by the
 * same few kinds of phone, and its landing page differs between two such scans only in the
 * CSP nonce and the attribution session: so the page is rendered once per poster, language and
 * device with stand-ins for those two, and each scan fills them in. The result is exactly what
 * `renderLandingPage` gives (tested), at the cost of joining a few strings.
 *
 * The stand-ins are random per isolate and use only characters that neither HTML escaping nor
 * URL encoding changes, like the values they stand for (a base64url nonce, an uppercase
 * base32 token), so wherever the page writes a session — in an attribute, a scheme URL, an
 * `intent:` URL — the stand-in is written the same way and is found again.
 */
import { customAlphabet } from "nanoid";
import type { AppsOptions } from "../config";
import { CROCKFORD } from "../core/base32";
import { BoundedCache } from "../core/bounded-cache";
import { type LandingInput, renderLandingPage } from "./landing";

let slots: { session: string; nonce: string; split: RegExp } | null = null;

/** Created on first use: workerd forbids randomness while a Worker's global scope is evaluated. */
function standIns() {
  if (!slots) {
    const session = `Q${customAlphabet(CROCKFORD, 31)()}`;
    const nonce = `q${customAlphabet("abcdefghijklmnopqrstuvwxyz", 31)()}`;
    slots = { session, nonce, split: new RegExp(`(${session}|${nonce})`) };
  }
  return slots;
}

/**
 * What to write in `deepLinkParams` where the page's attribution session goes; the session
 * itself is passed to {@link landingPage}.
 *
 * @example
 * const deepLinkParams = { s: sessionSlot(), qb_link: `${link}?S=${sessionSlot()}` };
 * landingPage({ ...input, deepLinkParams }, nonce, session.token);
 */
export function sessionSlot(): string {
  return standIns().session;
}

/** A rendered page cut at its stand-ins: text, slot, text, slot, …, text. */
type Template = string[];

const templates = new WeakMap<AppsOptions, BoundedCache<string, Template>>();

/**
 * The landing page for `input` with `nonce` (see `htmlResponse`) and `session` in place of
 * {@link sessionSlot}: from the isolate's template for this page, rendered on first use. A page
 * with a countdown (`expiresAt`) depends on the clock and is rendered afresh every time.
 *
 * @example
 * const nonce = newNonce();
 * const page = landingPage({ ...landing, deepLinkParams: { s: sessionSlot() } }, nonce, session.token);
 * return htmlResponse(page, { nonce });
 */
export function landingPage(input: LandingInput, nonce: string, session = ""): string {
  const slot = standIns();
  if (input.expiresAt !== null && input.expiresAt !== undefined) {
    const params = input.deepLinkParams;
    const deepLinkParams = params
      ? Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, v.replaceAll(slot.session, session)]),
        )
      : params;
    return renderLandingPage({ ...input, deepLinkParams }, nonce);
  }
  const { apps, now: _clock, ...page } = input;
  const key = JSON.stringify(page);
  let cache = templates.get(apps);
  if (!cache) {
    cache = new BoundedCache<string, Template>(500);
    templates.set(apps, cache);
  }
  let template = cache.get(key);
  if (!template) {
    template = renderLandingPage(input, slot.nonce).split(slot.split);
    cache.set(key, template);
  }
  let out = template[0]!;
  for (let i = 1; i < template.length; i += 2) {
    out += (template[i] === slot.nonce ? nonce : session) + template[i + 1];
  }
  return out;
}
