/**
 * The sealing of `Idempotency-Key` answers (store/idempotency.ts): gzip, then AES-GCM under a key
 * derived from a signing key and the scope, since a create's answer may carry a secret shown
 * once (an API key, a webhook secret, a handoff's watch secret).
 */
import type { Keyring } from "../core/token";
import type { StoredAnswer } from "./idempotency";

const encoder = new TextEncoder();

async function answerKey(ring: Keyring, kid: string, scope: string): Promise<CryptoKey | null> {
  const signing = ring.keys.get(kid);
  if (!signing) return null;
  const bytes = await crypto.subtle.sign("HMAC", signing, encoder.encode(`qrbridge.idem.${scope}`));
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function pipe(
  data: BufferSource,
  stream: CompressionStream | DecompressionStream,
): Promise<ArrayBuffer> {
  return new Response(new Blob([data]).stream().pipeThrough(stream)).arrayBuffer();
}

/**
 * Seal `answer` for `scope` under the current signing key (12 bytes of IV, then the ciphertext).
 *
 * @example
 * const sealed = await seal(ring, scope, { status: 201, headers: {}, body });
 */
export async function seal(
  ring: Keyring,
  scope: string,
  answer: StoredAnswer,
): Promise<Uint8Array> {
  const key = (await answerKey(ring, ring.current, scope))!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const packed = await pipe(encoder.encode(JSON.stringify(answer)), new CompressionStream("gzip"));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, packed));
  const out = new Uint8Array(12 + cipher.length);
  out.set(iv);
  out.set(cipher, 12);
  return out;
}

/**
 * Open an answer sealed under signing key `kid` for `scope`; null when it cannot be (the key
 * removed, its secret replaced, or the row not this scope's).
 *
 * @example
 * const answer = await unseal(ring, row.kid, scope, row.answer);
 */
export async function unseal(
  ring: Keyring,
  kid: string,
  scope: string,
  sealed: ArrayBuffer | number[],
): Promise<StoredAnswer | null> {
  const key = await answerKey(ring, kid, scope);
  if (!key) return null;
  const bytes = new Uint8Array(sealed as ArrayLike<number>);
  let packed: ArrayBuffer;
  try {
    packed = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, 12) },
      key,
      bytes.slice(12),
    );
  } catch {
    // The tag does not verify: the kid's secret was replaced (QB_SIGNING_KEYS edited in place),
    // or the row is not this scope's. Unreadable, as under a removed kid: a throw here was a 500
    // on every retry for the 24 h the row lives, and a 5xx tells the client to retry.
    return null;
  }
  const text = new TextDecoder().decode(await pipe(packed, new DecompressionStream("gzip")));
  return JSON.parse(text) as StoredAnswer;
}

/**
 * Open a pending answer: one sealed into a claim before its handoff was made, under the signing
 * key current then, which the row cannot record while the claim is held (`kid` holds the
 * holder). The current key is tried first, then the ring's others: a retry after a rotation made
 * another key current still finds the first request's handoff instead of making a second one.
 * Null when no key opens it (the key was removed from `QB_SIGNING_KEYS`).
 *
 * @example
 * const pending = taken.answer ? await unsealPending(ring, scope, taken.answer) : null;
 */
export async function unsealPending(
  ring: Keyring,
  scope: string,
  sealed: ArrayBuffer | number[],
): Promise<StoredAnswer | null> {
  const others = [...ring.keys.keys()].filter((kid) => kid !== ring.current);
  for (const kid of [ring.current, ...others]) {
    const answer = await unseal(ring, kid, scope, sealed);
    if (answer) return answer;
  }
  return null;
}
