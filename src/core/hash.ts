/**
 * SHA-256 helpers. Secrets (API keys, watch secrets, tickets) are stored only as these hashes.
 */
const encoder = new TextEncoder();

/**
 * Hex SHA-256 of a string.
 *
 * @example
 * await sha256Hex("abc") // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let out = "";
  for (const b of digest) out += b.toString(16).padStart(2, "0");
  return out;
}
