/**
 * The Devanagari spike's shaper (test/integration/harfbuzz-spike.test.ts): one font loaded in a
 * HarfBuzz instance, through the print kit's own wrapper (src/core/harfbuzz.ts).
 */
import { harfBuzz, type HarfBuzz as Instance, type ShapedGlyph } from "../../src/core/harfbuzz";

export type { ShapedGlyph };

/** A HarfBuzz instance and a font loaded in it. */
export interface HarfBuzz {
  /** Shape `text` (script and direction guessed from it, in `lang` if given) with the font's GSUB and GPOS. */
  shape(text: string, lang?: string): ShapedGlyph[];
  /** Bytes of the instance's linear memory. */
  memoryBytes(): number;
}

/**
 * Instantiate HarfBuzz from a compiled module and load one font.
 *
 * @example
 * const hb = await loadHarfBuzz(wasm, fontBytes);
 * hb.shape("हिन्दी"); // [{ gid: 541, cluster: 0, … }, { gid: 88, … }, …]
 */
export async function loadHarfBuzz(wasm: WebAssembly.Module, font: Uint8Array): Promise<HarfBuzz> {
  const hb: Instance = await harfBuzz(wasm);
  return { shape: hb.font(font), memoryBytes: hb.memoryBytes };
}
