/**
 * Webhook signatures, signed like Stripe's. Pure Web Crypto, no other import, so receivers can
 * use (or copy) this file in any runtime with `crypto.subtle` (Workers, Node ≥ 20, Deno, Bun).
 *
 * Header: `QB-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The key is the whole secret text as UTF-8 (`whsec_…` included). Several `v1=` entries may
 * appear; one matching is enough. The timestamp is signed too, so a captured request cannot be
 * replayed after the tolerance (default 5 minutes).
 */

const encoder = new TextEncoder();

/** The header that carries the signature. */
export const SIGNATURE_HEADER = "QB-Signature";

/** Why a signature was refused. */
export type VerifyFailure =
  | "malformed"
  | "no_signature"
  | "bad_signature"
  | "too_old"
  | "in_future";

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailure };

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  let out = "";
  for (const b of mac) out += b.toString(16).padStart(2, "0");
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
 * The `QB-Signature` header value for a body sent at `timestamp` (unix seconds).
 *
 * @example
 * const header = await signWebhook("whsec_abc…", body, Math.floor(Date.now() / 1000));
 * // "t=1767225600,v1=5f0c…"
 */
export async function signWebhook(
  secret: string,
  body: string,
  timestamp: number,
): Promise<string> {
  const t = Math.floor(timestamp);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
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
 * const body = await request.text(); // the raw bytes; do not re-serialize parsed JSON
 * const check = await verifyWebhook(env.QB_WEBHOOK_SECRET, body, request.headers.get("QB-Signature") ?? "");
 * if (!check.ok) return new Response(check.reason, { status: 400 });
 * const event = JSON.parse(body);
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
