/**
 * Signed handoff tokens, handoff events credentials, attribution session tokens and poster codes.
 *
 * Token layout (42 uppercase Crockford base32 characters, see docs/token-vectors.md):
 *
 *   ID (20 chars, 100 random bits) | EXP (7 chars, unix seconds) | KID (2 chars) | MAC (13 chars, 65 bits)
 *
 * MAC = first 65 bits of HMAC-SHA256(key[KID], "qb1.<tag>." + ID + EXP + KID), where `tag` is
 * "h" for a handoff, "e" for a handoff's events credential, "l" for a QR login and "s" for an
 * attribution session, so one kind can never pass for another.
 *
 * Poster code (10 characters, printed, long-lived): ID (6 chars) | MAC (4 chars, 20 bits) of
 * "qb1.p." + ID. It carries no key id, so every configured key is tried: rotation never breaks a
 * printed poster as long as the key that signed it stays configured.
 *
 * Verification is pure CPU (one HMAC per key tried) and happens before any storage is touched.
 */
import { customAlphabet } from "nanoid";
import {
  CROCKFORD,
  decodeBase32Int,
  encodeBase32,
  encodeBase32Int,
  normalizeBase32,
} from "./base32";

export const TOKEN_ID_LENGTH = 20;
const EXP_LENGTH = 7;
const KID_LENGTH = 2;
const MAC_LENGTH = 13;
export const TOKEN_LENGTH = TOKEN_ID_LENGTH + EXP_LENGTH + KID_LENGTH + MAC_LENGTH;
export const POSTER_ID_LENGTH = 6;
const POSTER_MAC_LENGTH = 4;
export const POSTER_CODE_LENGTH = POSTER_ID_LENGTH + POSTER_MAC_LENGTH;

const newTokenIdRaw = customAlphabet(CROCKFORD, TOKEN_ID_LENGTH);
const newPosterIdRaw = customAlphabet(CROCKFORD, POSTER_ID_LENGTH);

/** A token's purpose, bound into its MAC: handoff, handoff events, login, attribution session. */
export type TokenTag = "h" | "e" | "l" | "s";

/** The signing keys: every key verifies, `current` signs. */
export interface Keyring {
  current: string;
  keys: ReadonlyMap<string, CryptoKey>;
}

export type TokenCheck =
  | { ok: true; id: string; expiresAt: number; kid: string }
  | { ok: false; reason: "malformed" | "unknown_key" | "bad_signature" }
  | { ok: false; reason: "expired"; id: string; expiresAt: number; kid: string };

export type PosterCheck =
  | { ok: true; id: string }
  | { ok: false; reason: "malformed" | "bad_signature" };

const encoder = new TextEncoder();

/**
 * Parse `QB_SIGNING_KEYS` ("KID:secret,KID:secret,…") into a keyring. Key ids are two base32
 * characters; secrets at least 16 characters. The **last** key listed signs (append a new key
 * to rotate); all keys verify.
 *
 * @example
 * const ring = await parseKeyring("K1:old-secret-0123456789,K2:new-secret-0123456789");
 * ring.current // "K2"
 */
export async function parseKeyring(raw: string): Promise<Keyring> {
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new Error("QB_SIGNING_KEYS is empty: set it to KID:secret[,KID:secret…]");
  const keys = new Map<string, CryptoKey>();
  let current = "";
  for (const entry of entries) {
    const sep = entry.indexOf(":");
    const kid = normalizeBase32(entry.slice(0, Math.max(sep, 0)));
    const secret = entry.slice(sep + 1);
    if (sep < 0 || kid === null || kid.length !== KID_LENGTH) {
      throw new Error(
        `QB_SIGNING_KEYS: key id must be ${KID_LENGTH} base32 characters (got "${entry.slice(0, 8)}…")`,
      );
    }
    if (secret.length < 16)
      throw new Error(`QB_SIGNING_KEYS: the secret of ${kid} is shorter than 16 characters`);
    if (keys.has(kid)) throw new Error(`QB_SIGNING_KEYS: key id ${kid} appears twice`);
    keys.set(kid, await importHmacKey(secret));
    current = kid;
  }
  return { current, keys };
}

/**
 * Import a secret for HMAC-SHA256 signing.
 *
 * @example
 * const key = await importHmacKey("a-long-random-secret");
 */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/**
 * The first `length` Crockford characters of HMAC-SHA256(key, message): the MAC of every
 * signed value here (tokens, poster codes, login tickets).
 *
 * @example
 * await macOf(ring.keys.get(ring.current)!, "qb1.t.…", 26) // 130 bits
 */
export async function macOf(key: CryptoKey, message: string, length: number): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return encodeBase32(sig.subarray(0, Math.ceil((length * 5) / 8))).slice(0, length);
}

/**
 * Compare two strings in time that depends only on their length.
 * Uses `crypto.subtle.timingSafeEqual` where the runtime has it (workerd), else an XOR loop.
 *
 * @example
 * constantTimeEqual("ABC", "ABC") // true
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  const subtle = crypto.subtle as SubtleCrypto & {
    timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean;
  };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(x, y);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/**
 * A fresh random token id: 20 Crockford characters (100 bits) from `nanoid`.
 *
 * @example
 * newTokenId() // "8QK3T0M1ZC7X9R2B4N6D"
 */
export function newTokenId(): string {
  return newTokenIdRaw();
}

/**
 * Sign a token for `id` (a fresh one if omitted) that expires at `expiresAt` (unix seconds).
 *
 * @example
 * const { token, id } = await signToken(ring, "h", { expiresAt: now + 120 });
 * const url = `HTTPS://QR.EXAMPLE.COM/H/${token}`;
 */
export async function signToken(
  ring: Keyring,
  tag: TokenTag,
  opts: { expiresAt: number; id?: string },
): Promise<{ token: string; id: string; expiresAt: number; kid: string }> {
  const id = opts.id ?? newTokenId();
  if (normalizeBase32(id) !== id || id.length !== TOKEN_ID_LENGTH)
    throw new Error("token id must be 20 base32 characters");
  const body = id + encodeBase32Int(opts.expiresAt, EXP_LENGTH) + ring.current;
  const mac = await macOf(ring.keys.get(ring.current)!, `qb1.${tag}.${body}`, MAC_LENGTH);
  return { token: body + mac, id, expiresAt: opts.expiresAt, kid: ring.current };
}

/**
 * Verify a token (any case, dashes ignored). Checks, in order: shape, key id, MAC, expiry —
 * so "expired" is only ever said of an authentic token.
 *
 * @example
 * const check = await verifyToken(ring, "h", tokenFromUrl, Math.floor(Date.now() / 1000));
 * if (check.ok) console.log(check.id);
 */
export async function verifyToken(
  ring: Keyring,
  tag: TokenTag,
  input: string,
  nowSeconds: number,
): Promise<TokenCheck> {
  const token = normalizeBase32(input);
  if (token === null || token.length !== TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const id = token.slice(0, TOKEN_ID_LENGTH);
  const expText = token.slice(TOKEN_ID_LENGTH, TOKEN_ID_LENGTH + EXP_LENGTH);
  const kid = token.slice(TOKEN_ID_LENGTH + EXP_LENGTH, TOKEN_ID_LENGTH + EXP_LENGTH + KID_LENGTH);
  const mac = token.slice(TOKEN_LENGTH - MAC_LENGTH);
  const key = ring.keys.get(kid);
  if (!key) return { ok: false, reason: "unknown_key" };
  const expected = await macOf(
    key,
    `qb1.${tag}.${token.slice(0, TOKEN_LENGTH - MAC_LENGTH)}`,
    MAC_LENGTH,
  );
  if (!constantTimeEqual(expected, mac)) return { ok: false, reason: "bad_signature" };
  const expiresAt = decodeBase32Int(expText)!;
  if (expiresAt <= nowSeconds) return { ok: false, reason: "expired", id, expiresAt, kid };
  return { ok: true, id, expiresAt, kid };
}

/**
 * Sign a poster code for `id` (a fresh 6-character id if omitted) with the current key.
 *
 * @example
 * const { code, display } = await signPosterCode(ring);
 * // e.g. code "7K2M9QA6S5", display "7K2M9-QA6S5"
 */
export async function signPosterCode(
  ring: Keyring,
  id?: string,
): Promise<{ code: string; id: string; display: string }> {
  const posterId = id ?? newPosterIdRaw();
  if (normalizeBase32(posterId) !== posterId || posterId.length !== POSTER_ID_LENGTH) {
    throw new Error("poster id must be 6 base32 characters");
  }
  const mac = await macOf(ring.keys.get(ring.current)!, `qb1.p.${posterId}`, POSTER_MAC_LENGTH);
  const code = posterId + mac;
  return { code, id: posterId, display: displayPosterCode(code) };
}

/**
 * Verify a poster code typed or scanned in any case, with or without dashes. Every key in the
 * ring is tried (printed posters outlive key rotations).
 *
 * @example
 * const check = await verifyPosterCode(ring, "7k2m9-qx4ab");
 * if (check.ok) lookUpPoster(check.id);
 */
export async function verifyPosterCode(ring: Keyring, input: string): Promise<PosterCheck> {
  const code = normalizeBase32(input);
  if (code === null || code.length !== POSTER_CODE_LENGTH)
    return { ok: false, reason: "malformed" };
  const id = code.slice(0, POSTER_ID_LENGTH);
  const mac = code.slice(POSTER_ID_LENGTH);
  let valid = false;
  // Try every key without stopping early, so timing does not reveal which key matched.
  for (const key of ring.keys.values()) {
    const expected = await macOf(key, `qb1.p.${id}`, POSTER_MAC_LENGTH);
    valid = constantTimeEqual(expected, mac) || valid;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  return { ok: true, id };
}

/**
 * The human-enterable form of a poster code: two groups of five with a dash.
 *
 * @example
 * displayPosterCode("7K2M9QX4AB") // "7K2M9-QX4AB"
 */
export function displayPosterCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
