/**
 * Webhook signatures. Pure Web Crypto, no other import, so receivers can use (or copy) this file
 * in any runtime with `crypto.subtle` (Workers, Node ≥ 20, Deno, Bun). Every delivery carries
 * two schemes over the same body:
 *
 * - `QB-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, signed
 *   like Stripe's. The key is the whole secret text as UTF-8 (`whsec_…` included). Several
 *   `v1=` entries may appear; one matching is enough.
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<t>.<raw body>")>`), where the key
 *   is the base64-decoded part of the secret after `whsec_`, so the `standardwebhooks`
 *   libraries verify it as they are.
 *
 * Both sign the timestamp, so a captured request cannot be replayed after the tolerance
 * (default 5 minutes).
 */

const encoder = new TextEncoder();

/**
 * The header that carries the signature.
 *
 * @example
 * const header = request.headers.get(SIGNATURE_HEADER) ?? ""; // "t=1767225600,v1=5f0c…"
 */
export const SIGNATURE_HEADER = "QB-Signature";

/** Why a signature was refused. */
export type VerifyFailure =
  | "malformed"
  | "no_signature"
  | "bad_signature"
  | "too_old"
  | "in_future";

/** What {@link verifyWebhook} answers: the signed timestamp, or why the request is refused. */
export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailure };

async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

async function hmacHex(secret: string, message: string): Promise<string> {
  let out = "";
  for (const b of await hmac(encoder.encode(secret), message))
    out += b.toString(16).padStart(2, "0");
  return out;
}

// Time depends only on the length (which is public: always 64 hex characters here).
function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The `QB-Signature` header value for a body sent at `timestamp` (unix seconds): one `v1=` per
 * secret given, in that order.
 *
 * @example
 * const header = await signWebhook("whsec_abc…", body, Math.floor(Date.now() / 1000));
 * // "t=1767225600,v1=5f0c…"
 */
export async function signWebhook(
  secret: string | readonly string[],
  body: string,
  timestamp: number,
): Promise<string> {
  const t = Math.floor(timestamp);
  const secrets = typeof secret === "string" ? [secret] : secret;
  const signatures = await Promise.all(secrets.map((s) => hmacHex(s, `${t}.${body}`)));
  return [`t=${t}`, ...signatures.map((v) => `v1=${v}`)].join(",");
}

/**
 * The Standard Webhooks headers (lower case, as that specification writes them).
 *
 * @example
 * const id = request.headers.get(STANDARD_HEADERS.id); // "whd_…"
 * const timestamp = Number(request.headers.get(STANDARD_HEADERS.timestamp));
 */
export const STANDARD_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

/**
 * The Standard Webhooks key of a secret: the bytes its text after `whsec_` encodes, in base64
 * or base64url (the form the bridge's secrets had before they were written in base64). Null
 * when the text is neither.
 *
 * @example
 * standardWebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") // Uint8Array(24)
 */
export function standardWebhookKey(secret: string): Uint8Array | null {
  const text = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.replace(/=+$/, "").length % 4 === 1)
    return null;
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/**
 * The `webhook-signature` header value of Standard Webhooks: `v1,<base64 HMAC-SHA256(key,
 * "<id>.<timestamp>.<body>")>`. `key` is the secret's bytes ({@link standardWebhookKey}).
 *
 * @example
 * const key = standardWebhookKey(secret)!;
 * const header = await signStandardWebhook(key, "whd_…", 1767225600, body); // "v1,K5oZ…="
 */
export async function signStandardWebhook(
  key: Uint8Array,
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  let bin = "";
  for (const b of await hmac(key, `${id}.${Math.floor(timestamp)}.${body}`))
    bin += String.fromCharCode(b);
  return `v1,${btoa(bin)}`;
}

/**
 * Parse a `QB-Signature` header: the timestamp and every `v1` signature; null when malformed.
 *
 * @example
 * parseSignatureHeader("t=1767225600,v1=ab12…") // { timestamp: 1767225600, signatures: ["ab12…"] }
 */
export function parseSignatureHeader(
  header: string,
): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return null;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === "t") {
      if (!/^\d{1,12}$/.test(v) || timestamp !== null) return null;
      timestamp = Number(v);
    } else if (k === "v1" && /^[0-9a-f]{64}$/i.test(v)) signatures.push(v.toLowerCase());
    // Other schemes (v0, future versions) are ignored, as Stripe's libraries do.
  }
  return timestamp === null ? null : { timestamp, signatures };
}

/**
 * Check a webhook request: the raw body exactly as received, the `QB-Signature` header and
 * your endpoint's secret. Refuses tampered bodies, wrong secrets, and timestamps further than
 * `toleranceSeconds` (default 300) from `now` (unix seconds, default the clock).
 *
 * @example
 * // your webhook endpoint: a Worker with the endpoint's secret as QB_WEBHOOK_SECRET
 * export default {
 *   async fetch(request: Request, env: { QB_WEBHOOK_SECRET: string }) {
 *     const body = await request.text(); // the raw bytes; do not re-serialize parsed JSON
 *     const check = await verifyWebhook(env.QB_WEBHOOK_SECRET, body, request.headers.get("QB-Signature") ?? "");
 *     if (!check.ok) return new Response(check.reason, { status: 400 });
 *     const event = JSON.parse(body);
 *     // … handle event.type, idempotently on event.id …
 *     return new Response(null, { status: 204 });
 *   },
 * };
 */
export async function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): Promise<VerifyResult> {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed" };
  if (parsed.signatures.length === 0) return { ok: false, reason: "no_signature" };
  const expected = await hmacHex(secret, `${parsed.timestamp}.${body}`);
  let match = false;
  for (const sig of parsed.signatures) match = equalHex(sig, expected) || match;
  if (!match) return { ok: false, reason: "bad_signature" };
  const tolerance = opts.toleranceSeconds ?? 300;
  const now = Math.floor(opts.now ?? Date.now() / 1000);
  if (parsed.timestamp < now - tolerance) return { ok: false, reason: "too_old" };
  if (parsed.timestamp > now + tolerance) return { ok: false, reason: "in_future" };
  return { ok: true, timestamp: parsed.timestamp };
}
