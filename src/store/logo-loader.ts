/**
 * Centre logos read from R2 (`LOGOS`, keys in store/logos.ts) to be drawn, with their pixels
 * decoded for PNG and PDF output. Part of the print kit module (src/print-kit.ts), which holds
 * every logo renderer; an isolate keeps the logos it drew in memory (a logo never changes
 * under its id).
 */
import { BoundedCache } from "../core/bounded-cache";
import { decodePng } from "../core/png-decode";
import type { QrLogo } from "../core/qr-logo";
import { logoKey } from "./logos";

/** Logos drawn by this isolate; it keeps up to this many. */
const memory = new BoundedCache<string, QrLogo>(32);

/**
 * A logo's file and size for the renderers, with its decoded pixels when `pixels` (PNG, PDF),
 * or null when there is no such logo.
 *
 * @example
 * const logo = await loadLogo(env.LOGOS, "lg_9f86d081884c7d659a2feaa0", true);
 */
export async function loadLogo(
  bucket: R2Bucket,
  id: string,
  pixels: boolean,
): Promise<QrLogo | null> {
  let logo = memory.get(id);
  if (!logo) {
    const obj = await bucket.get(logoKey(id));
    if (!obj) return null;
    logo = {
      png: new Uint8Array(await obj.arrayBuffer()),
      width: Number(obj.customMetadata?.width),
      height: Number(obj.customMetadata?.height),
    };
    memory.set(id, logo);
  }
  if (pixels && !logo.rgba) {
    try {
      logo.rgba = (await decodePng(logo.png)).rgba;
    } catch (err) {
      // A file stored before a decoder check tightened (e.g. a decompression bomb refused
      // since): drawn without it, as a missing logo is, rather than failing the image.
      if (!(err instanceof Error && err.name === "PngError")) throw err;
      console.error(`qrbridge: logo ${id} cannot be decoded: ${err.message}`);
      return null;
    }
  }
  return logo;
}
