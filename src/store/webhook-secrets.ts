/**
 * The signing secrets of webhook endpoints. None is stored: an endpoint's key bytes are derived
 * from the bridge's signing key, the endpoint id and (once rotated) a random salt, shown once as
 * text at creation or rotation (store/webhooks.ts, store/webhook-edit.ts) and derived again to
 * sign each delivery (store/webhook-delivery.ts).
 */
import type { Keyring } from "../core/token";
import { signStandardWebhook, signWebhook } from "../core/webhook-signature";

const encoder = new TextEncoder();

/**
 * The 32 key bytes of an endpoint: HMAC-SHA256(key[kid], "qrbridge.whsec." + id), and after a
 * rotation HMAC-SHA256(key[kid], "qrbridge.whsec." + id + "." + salt) (the salt is stored, the
 * secret is not). Its secret is their text ({@link endpointSecret}); Standard Webhooks signs
 * with the bytes themselves. Null when that key is no longer configured (keep old keys in
 * `QB_SIGNING_KEYS`).
 *
 * @example
 * const key = await endpointKey(config.keyring, "K1", "whe_0123456789abcdef");
 */
export async function endpointKey(
  ring: Keyring,
  kid: string,
  endpointId: string,
  salt: string | null = null,
): Promise<Uint8Array | null> {
  const key = ring.keys.get(kid);
  if (!key) return null;
  const info =
    salt === null ? `qrbridge.whsec.${endpointId}` : `qrbridge.whsec.${endpointId}.${salt}`;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(info)));
}

/** What derives an endpoint's secrets, as `webhook_endpoints` stores it (migrations/0021). */
export interface SecretColumns {
  secret_kid: string;
  secret_salt: string | null;
  previous_secret_kid: string | null;
  previous_secret_salt: string | null;
  previous_secret_expires_at: number | null;
}

/**
 * When the secret a rotation replaced stops signing (unix ms), while it still signs at `now`;
 * else null (no rotation, or its window ended and the cron has not cleared it yet).
 *
 * @example
 * previousSecretEnds(endpointRow, Date.now()) // 1767312000000, or null
 */
export function previousSecretEnds(row: SecretColumns, now: number): number | null {
  const ends = row.previous_secret_expires_at;
  return row.previous_secret_kid !== null && ends !== null && ends > now ? ends : null;
}

/** One secret a delivery is signed with: its key bytes and the texts QB-Signature keys on. */
export interface SigningSecret {
  key: Uint8Array;
  texts: string[];
}

/**
 * The secrets a delivery is signed with, newest first: the current one, then the one a rotation
 * replaced while it has not expired at `now` (a receiver still holding it keeps verifying). The
 * first secret of an endpoint was also shown as base64url before Standard Webhooks, so it signs
 * with both its texts; a rotated one was only ever shown in base64. Null when the current
 * secret's signing key is gone; a previous one whose key is gone is left out.
 *
 * @example
 * const secrets = await signingSecrets(config.keyring, "whe_…", endpointRow, Date.now());
 */
export async function signingSecrets(
  ring: Keyring,
  endpointId: string,
  row: SecretColumns,
  now: number,
): Promise<SigningSecret[] | null> {
  const refs = [{ kid: row.secret_kid, salt: row.secret_salt }];
  if (row.previous_secret_kid !== null && previousSecretEnds(row, now) !== null)
    refs.push({ kid: row.previous_secret_kid, salt: row.previous_secret_salt });
  const out: SigningSecret[] = [];
  for (const [i, ref] of refs.entries()) {
    const key = await endpointKey(ring, ref.kid, endpointId, ref.salt);
    if (!key) {
      if (i === 0) return null;
      continue;
    }
    const { current: text, legacy } = secretTexts(key);
    out.push({ key, texts: ref.salt === null ? [text, legacy] : [text] });
  }
  return out;
}

/**
 * The two signature headers of a delivery sent at `t` (unix seconds), one signature per secret
 * text (QB-Signature) and per secret (`webhook-signature`, space-separated as Standard Webhooks
 * lets a receiver rotate): at most three `v1=` and two `v1,` with two secrets.
 *
 * @example
 * const headers = await signatureHeaders(secrets, "whd_…", 1767225600, body);
 * // { "qb-signature": "t=1767225600,v1=…,v1=…", "webhook-signature": "v1,… v1,…" }
 */
export async function signatureHeaders(
  secrets: readonly SigningSecret[],
  deliveryId: string,
  t: number,
  body: string,
): Promise<{ "qb-signature": string; "webhook-signature": string }> {
  const standard = await Promise.all(
    secrets.map((s) => signStandardWebhook(s.key, deliveryId, t, body)),
  );
  return {
    "qb-signature": await signWebhook(
      secrets.flatMap((s) => s.texts),
      body,
      t,
    ),
    "webhook-signature": standard.join(" "),
  };
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
  salt: string | null = null,
): Promise<string | null> {
  const key = await endpointKey(ring, kid, endpointId, salt);
  return key ? secretTexts(key).current : null;
}
