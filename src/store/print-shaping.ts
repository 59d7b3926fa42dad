/**
 * HarfBuzz for the print kit's shaped scripts (Devanagari, Bengali…, Khmer, Lao, Myanmar), per
 * isolate: the instance (from the compiled `harfbuzz.wasm`, a module of the upload beside the
 * print kit) and the shaping fonts (each shaped face's `shaping.bin` in the glyph packs: the
 * font's tables without its outlines), each loaded on the first file that sets a text of its
 * script and kept. Imported by store/print-fonts.ts only when a text holds a shaped script, so
 * no other print pays for it, and the scan path never imports the print kit at all.
 */
import wasm from "../../node_modules/harfbuzzjs/dist/harfbuzz.wasm";
import { type HarfBuzz, harfBuzz, type Shaper } from "../core/harfbuzz";

let instance: Promise<HarfBuzz> | undefined;
const shapers = new Map<string, Promise<Shaper | null>>();

/**
 * The shaper of a face from `font()` (the shaping font's bytes, null when the packs have none),
 * loaded once per isolate; null without a shaping font (the caller draws boxes). A failed load
 * is forgotten, so the next file tries again.
 *
 * @example
 * const shape = await shaperFor("deva-700", () => fetchShapingFont("deva-700"));
 * shape?.("श्री"); // [{ gid: …, cluster: 0, … }, …]
 */
export function shaperFor(
  key: string,
  font: () => Promise<Uint8Array | null>,
): Promise<Shaper | null> {
  let p = shapers.get(key);
  if (!p) {
    p = (async () => {
      const bytes = await font();
      if (!bytes) return null;
      instance ??= harfBuzz(wasm);
      instance.catch(() => {
        instance = undefined;
      });
      return (await instance).font(bytes);
    })();
    p.catch(() => shapers.delete(key));
    shapers.set(key, p);
  }
  return p;
}

/**
 * Forget the shaping fonts (tests that swap the binding). The instance stays: its fonts are
 * kept in its memory for its life, a few hundred KiB each.
 *
 * @example
 * forgetShapers();
 */
export function forgetShapers(): void {
  shapers.clear();
}
