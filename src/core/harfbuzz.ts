/**
 * HarfBuzz (harfbuzzjs 1.6.4's WebAssembly build of HarfBuzz 15, MIT) as the print kit shapes
 * Devanagari, the other Indic scripts, Sinhala, Khmer, Lao and Myanmar with it (a run of one
 * script at a time: HarfBuzz guesses the script from it): the Emscripten glue (harfbuzz.js)
 * given the already compiled module, so it neither fetches nor compiles wasm at run time
 * (Workers forbid both), and HarfBuzz's C API called directly. Not harfbuzzjs's own wrapper (index.mjs): it instantiates itself at import
 * with a top-level `await` that fetches `harfbuzz.wasm` beside `import.meta.url`, which a
 * Worker does not have, and registers a callback with `addFunction`, which compiles a wasm
 * module at run time. Pure: the compiled module and the fonts' bytes come from the caller
 * (store/print-shaping.ts).
 */
// The glue is not in the package's exports map (its wasm is); the builds bundle it.
import createHarfBuzz from "../../node_modules/harfbuzzjs/dist/harfbuzz.js";

interface HbModule {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
  HEAP32: Int32Array;
  wasmExports: Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
}

/** One shaped glyph: its id in the font, the index (UTF-16) of its cluster, its position (font units). */
export interface ShapedGlyph {
  gid: number;
  cluster: number;
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

/**
 * A font loaded in a HarfBuzz instance: shapes `text` (script and direction guessed from it),
 * in `lang` (a BCP 47 tag) when given, so the font's forms for that language apply (its `locl`:
 * Marathi's ल and श, Nepali's झ and digits in Noto Sans Devanagari).
 */
export type Shaper = (text: string, lang?: string) => ShapedGlyph[];

/** A HarfBuzz instance: fonts are loaded into it once and kept for its life. */
export interface HarfBuzz {
  /** Load a font (TrueType, or one holding only the tables shaping reads) and shape with it. */
  font(bytes: Uint8Array): Shaper;
  /** Bytes of the instance's linear memory. */
  memoryBytes(): number;
}

/**
 * Instantiate HarfBuzz from a compiled module (in a Worker, `import wasm from "….wasm"`).
 *
 * @example
 * const hb = await harfBuzz(wasm);
 * const shape = hb.font(fontBytes);
 * shape("हिन्दी"); // [{ gid: 541, cluster: 0, … }, { gid: 88, … }, …]
 */
export async function harfBuzz(wasm: WebAssembly.Module): Promise<HarfBuzz> {
  // The glue's declaration omits its Emscripten options argument.
  const create = createHarfBuzz as unknown as (options: object) => Promise<HbModule>;
  const m = await create({
    instantiateWasm(
      imports: WebAssembly.Imports,
      done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
    ) {
      const instance = new WebAssembly.Instance(wasm, imports);
      done(instance, wasm);
      return instance.exports;
    },
  });
  const x = m.wasmExports;
  // HarfBuzz keeps each language it is given for its life (hb_language_t): one lookup per tag.
  const languages = new Map<string, number>();
  const language = (tag: string): number => {
    let found = languages.get(tag);
    if (found === undefined) {
      const str = x.malloc!(tag.length);
      for (let i = 0; i < tag.length; i++) m.HEAPU8[str + i] = tag.charCodeAt(i) & 0x7f;
      found = x.hb_language_from_string!(str, tag.length);
      x.free!(str);
      languages.set(tag, found);
    }
    return found;
  };
  return {
    font(bytes: Uint8Array): Shaper {
      const data = x.malloc!(bytes.byteLength);
      m.HEAPU8.set(bytes, data);
      // HB_MEMORY_MODE_READONLY, no destroy callback: the font stays for the instance's life.
      const blob = x.hb_blob_create!(data, bytes.byteLength, 1, 0, 0);
      const hbFont = x.hb_font_create!(x.hb_face_create!(blob, 0));
      return (text: string, lang?: string): ShapedGlyph[] => {
        const buffer = x.hb_buffer_create!();
        const str = x.malloc!(text.length * 2);
        // The heap views are read after malloc: a grown memory replaces them.
        for (let i = 0; i < text.length; i++) m.HEAPU16[str / 2 + i] = text.charCodeAt(i);
        x.hb_buffer_add_utf16!(buffer, str, text.length, 0, text.length);
        x.free!(str);
        x.hb_buffer_guess_segment_properties!(buffer);
        if (lang) x.hb_buffer_set_language!(buffer, language(lang));
        x.hb_shape!(hbFont, buffer, 0, 0);
        const n = x.hb_buffer_get_length!(buffer);
        const infos = x.hb_buffer_get_glyph_infos!(buffer, 0) / 4;
        const positions = x.hb_buffer_get_glyph_positions!(buffer, 0) / 4;
        const out: ShapedGlyph[] = [];
        for (let i = 0; i < n; i++)
          out.push({
            gid: m.HEAPU32[infos + 5 * i]!,
            cluster: m.HEAPU32[infos + 5 * i + 2]!,
            xAdvance: m.HEAP32[positions + 5 * i]!,
            xOffset: m.HEAP32[positions + 5 * i + 2]!,
            yOffset: m.HEAP32[positions + 5 * i + 3]!,
          });
        x.hb_buffer_destroy!(buffer);
        return out;
      };
    },
    memoryBytes: () => x.memory.buffer.byteLength,
  };
}
