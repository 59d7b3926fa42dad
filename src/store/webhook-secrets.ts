/**
 * The signing secrets of webhook endpoints. None is stored: an endpoint's key bytes are derived
 * from the bridge's signing key and the endpoint id, shown once as text at creation
 * (store/webhooks.ts) and derived again to sign each delivery (store/webhook-delivery.ts).
 */
import type { Keyring } from "../core/token";

const encoder = new TextEncoder();

/**
 * The 32 key bytes of an endpoint: HMAC-SHA256(key[kid], "qrbridge.whsec." + id). Its secret is
 * their text ({@link endpointSecret}); Standard Webhooks signs with the bytes themselves. Null
 * when that key is no longer configured (keep old keys in `QB_SIGNING_KEYS`).
 *
 * @example
 * const key = await endpointKey(config.keyring, "K1", "whe_0123456789abcdef");
 */
export async function endpointKey(
  ring: Keyring,
  kid: string,
  endpointId: string,
): Promise<Uint8Array | null> {
  const key = ring.keys.get(kid);
  if (!key) return null;
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", key, encoder.encode(`qrbridge.whsec.${endpointId}`)),
  );
}

/**
 * The secret texts of an endpoint's key bytes: `current`, `whsec_` + base64 (what
 * `POST /v1/webhooks` shows, and what Standard Webhooks libraries decode), and `legacy`,
 * `whsec_` + unpadded base64url (what it showed before). QB-Signature keys on the text, so a
 * delivery is signed with both: every secret ever shown keeps verifying.
 *
 * @example
 * const { current, legacy } = secretTexts(key); // "whsec_q83v…=", "whsec_q83v…"
 */
export function secretTexts(key: Uint8Array): { current: string; legacy: string } {
  let bin = "";
  for (const b of key) bin += String.fromCharCode(b);
  const base64 = btoa(bin);
  const base64url = base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { current: `whsec_${base64}`, legacy: `whsec_${base64url}` };
}

/**
 * The signing secret of an endpoint as shown at creation (`whsec_` + base64 of its key bytes).
 * Null when that key is no longer configured.
 *
 * @example
 * const secret = await endpointSecret(config.keyring, "K1", "whe_0123456789abcdef");
 */
export async function endpointSecret(
  ring: Keyring,
  kid: string,
  endpointId: string,
): Promise<string | null> {
  const key = await endpointKey(ring, kid, endpointId);
  return key ? secretTexts(key).current : null;
}
