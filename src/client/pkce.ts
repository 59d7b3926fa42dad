/**
 * PKCE for the `<qr-bridge mode="login">` element (RFC 7636, S256): the page makes a verifier
 * with Web Crypto, sends only its challenge when it creates the login, and hands the verifier to
 * its own backend with the ticket. The verifier never reaches the bridge before the exchange.
 */
import { base64url } from "./base64url";
import { BridgeRequestError } from "./watch";

/**
 * A fresh verifier (32 random bytes, 43 base64url characters) and its S256 challenge.
 * Throws where Web Crypto's `subtle` is missing (a page not served over https).
 *
 * @example
 * const { verifier, challenge } = await pkcePair();
 */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  if (!crypto.subtle) throw new BridgeRequestError("insecure_context", "login needs https");
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}
