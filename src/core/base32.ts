/**
 * Uppercase Crockford base32: digits and capitals without I, L, O, U.
 *
 * Every character is in the QR alphanumeric set, so a bridge URL written in capitals
 * (`HTTPS://HOST/H/<TOKEN>`) encodes in alphanumeric mode: about 5.5 bits per character
 * instead of 8, which gives a smaller, more robust QR code.
 */
export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const DECODE: Record<string, number> = {};
for (let i = 0; i < CROCKFORD.length; i++) DECODE[CROCKFORD[i]!] = i;
// Crockford's decoding rules: ambiguous letters read as the digits they look like.
DECODE.O = 0;
DECODE.I = 1;
DECODE.L = 1;

/**
 * Encode bytes as uppercase Crockford base32 (no padding).
 *
 * @example
 * encodeBase32(new Uint8Array([0xff])) // "ZW"
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Encode a non-negative integer (up to 2^53) as exactly `width` base32 characters.
 *
 * @example
 * encodeBase32Int(1_700_000_000, 7) // "1JN7W80"
 */
export function encodeBase32Int(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError("value must be a safe integer ≥ 0");
  let out = "";
  let v = value;
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[v % 32] + out;
    v = Math.floor(v / 32);
  }
  if (v !== 0) throw new RangeError(`value does not fit in ${width} base32 characters`);
  return out;
}

/**
 * Decode base32 characters (already normalised) to an integer; `null` on a bad character.
 *
 * @example
 * decodeBase32Int("0000010") // 32
 */
export function decodeBase32Int(text: string): number | null {
  let v = 0;
  for (const ch of text) {
    const d = DECODE[ch];
    if (d === undefined) return null;
    v = v * 32 + d;
  }
  return v;
}

/**
 * Normalise user-typed or scanned base32: uppercase, drop dashes and spaces, map the
 * ambiguous letters (I, L → 1; O → 0). Returns `null` if any other character is outside the
 * alphabet (so `U`, punctuation and non-ASCII are rejected early).
 *
 * @example
 * normalizeBase32(" 7k2m-9qx4 ") // "7K2M9QX4"
 * normalizeBase32("OIL") // "011"
 */
export function normalizeBase32(input: string): string | null {
  let out = "";
  for (const raw of input.toUpperCase()) {
    if (raw === "-" || raw === " ") continue;
    const d = DECODE[raw];
    if (d === undefined) return null;
    out += CROCKFORD[d];
  }
  return out;
}
