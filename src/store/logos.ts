/**
 * Centre logos in R2 (`LOGOS`): one object per logo, `logos/<id>.png`, the PNG as uploaded,
 * its size in custom metadata. A logo's id is derived from its bytes (`lg_` + 24 hex digits of
 * their SHA-256), so a logo never changes under its id: uploading the same file again gives
 * the same id, and every rendered image that names it stays right for ever. Logos are kept
 * (posters printed years ago may name them). Reading them to draw: store/logo-loader.ts.
 */

/**
 * The R2 key of a logo.
 *
 * @example
 * logoKey("lg_0123456789abcdef01234567") // "logos/lg_0123456789abcdef01234567.png"
 */
export const logoKey = (id: string) => `logos/${id}.png`;

/**
 * The id of a logo file: `lg_` and the first 24 hex digits of its SHA-256.
 *
 * @example
 * await logoId(bytes) // "lg_9f86d081884c7d659a2feaa0"
 */
export async function logoId(png: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", png as Uint8Array<ArrayBuffer>),
  );
  return `lg_${[...digest.subarray(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A logo's facts as the API shows them. */
export interface LogoRecord {
  id: string;
  width: number;
  height: number;
  bytes: number;
  created_at: number;
}

function record(id: string, obj: R2Object): LogoRecord {
  return {
    id,
    width: Number(obj.customMetadata?.width),
    height: Number(obj.customMetadata?.height),
    bytes: obj.size,
    created_at: obj.uploaded.getTime(),
  };
}

/**
 * Store a validated logo under its id. Returns its record and whether it was new (the same
 * file uploaded again is the same logo: nothing is written).
 *
 * @example
 * const { logo, created } = await putLogo(env.LOGOS, png, { width: 256, height: 256 });
 */
export async function putLogo(
  bucket: R2Bucket,
  png: Uint8Array,
  size: { width: number; height: number },
): Promise<{ logo: LogoRecord; created: boolean }> {
  const id = await logoId(png);
  const existing = await bucket.head(logoKey(id));
  if (existing) return { logo: record(id, existing), created: false };
  const obj = await bucket.put(logoKey(id), png, {
    httpMetadata: { contentType: "image/png" },
    customMetadata: { width: String(size.width), height: String(size.height) },
  });
  return { logo: record(id, obj), created: true };
}

/**
 * A logo's record, or null when there is no such logo.
 *
 * @example
 * if (!(await headLogo(env.LOGOS, style.logo))) throw …
 */
export async function headLogo(bucket: R2Bucket, id: string): Promise<LogoRecord | null> {
  const obj = await bucket.head(logoKey(id));
  return obj ? record(id, obj) : null;
}
