/**
 * How `<qr-bridge>` (embed.ts) gets a new code: the create request its attributes describe (which
 * bridge, and there a publishable key, or the site's own `create-endpoint`), with the body
 * embed-contract.ts builds and, for `mode="login"`, a PKCE pair made in the page. Apart from the
 * element because it is the one step that asks the network for a code and decides nothing: when
 * to ask, and what an answer or a failure does to the code on display, stay the element's.
 */
import { type CodeSource, createBody } from "./embed-contract";
import { pkcePair } from "./pkce";
import { createHandoff, type Handoff } from "./watch";

// Where the script was served from: /sdk/qrbridge.js (this module is bundled into it) under the
// bridge's base URL.
const DEFAULT_BASE = new URL("..", import.meta.url).href.replace(/\/$/, "");

/**
 * The bridge the element talks to, without a trailing slash: its `base` attribute, else the
 * bridge that served the script.
 *
 * @example
 * bridgeBase(element); // "https://qr.example.com"
 */
export function bridgeBase(el: Pick<CodeSource, "getAttribute">): string {
  return (el.getAttribute("base") || DEFAULT_BASE).replace(/\/+$/, "");
}

/** A code ready to show: the handoff (or login), and a login's PKCE verifier ("" otherwise). */
export interface NewCode {
  handoff: Handoff;
  verifier: string;
}

/**
 * Create the element's next code. The verifier never leaves the page before the exchange: only
 * its challenge goes into the create request. Throws the request's `BridgeRequestError` (watch.ts),
 * or an abort when `signal` fires.
 *
 * @example
 * const { handoff, verifier } = await requestCode(element, "https://qr.example.com", false, abort.signal);
 */
export async function requestCode(
  el: CodeSource,
  base: string,
  login: boolean,
  signal: AbortSignal,
): Promise<NewCode> {
  const body = createBody(el, login);
  const pkce = login ? await pkcePair() : null;
  if (pkce) body.code_challenge = pkce.challenge;
  const handoff = await createHandoff({
    base,
    kind: login ? "logins" : "handoffs",
    publishableKey: el.getAttribute("publishable-key"),
    endpoint: el.getAttribute("create-endpoint"),
    body,
    signal,
  });
  return { handoff, verifier: pkce?.verifier ?? "" };
}
