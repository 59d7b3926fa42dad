/**
 * `node bench/harfbuzz-spike.mjs [names]`: the Devanagari spike's figures (docs/posters.md
 * "Devanagari"), in Node. Builds the shaping font (Noto Sans Devanagari Bold with only the tables
 * HarfBuzz reads when shaping: no outlines), checks that HarfBuzz (harfbuzzjs's wasm, through its
 * glue given the compiled module as a Worker would) shapes test words with it exactly as with the
 * whole font, counts the words with GPOS offsets, then shapes `names` store names (default 1,200)
 * and prints the instance's memory. Instructions: run under
 * `valgrind --tool=callgrind --smc-check=all-non-file node bench/harfbuzz-spike.mjs N` for two
 * values of N and divide the difference of the totals by the difference of N.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { withTables } from "../scripts/shaped-faces.mjs";

const require = createRequire(import.meta.url);
const hbDir = join(dirname(require.resolve("harfbuzzjs/dist/harfbuzz.wasm")));
const { default: createHarfBuzz } = await import(join(hbDir, "harfbuzz.js"));
const full = readFileSync(
  join(
    dirname(require.resolve("@expo-google-fonts/noto-sans-devanagari/package.json")),
    "700Bold/NotoSansDevanagari_700Bold.ttf",
  ),
);
const names = Number(process.argv[2] ?? 1200);

// The shaping font as the glyph packs hold it (`shaping.bin`, scripts/shaped-faces.mjs).
const slim = withTables(full);

const wasm = new WebAssembly.Module(readFileSync(join(hbDir, "harfbuzz.wasm")));
const m = await createHarfBuzz({
  instantiateWasm(imports, done) {
    const instance = new WebAssembly.Instance(wasm, imports);
    done(instance, wasm);
    return instance.exports;
  },
});
const x = m.wasmExports;
const load = (bytes) => {
  const data = x.malloc(bytes.length);
  m.HEAPU8.set(bytes, data);
  return x.hb_font_create(x.hb_face_create(x.hb_blob_create(data, bytes.length, 1, 0, 0), 0));
};
/** Glyph id, cluster, x advance, x offset, y offset of each glyph. */
const shape = (font, text) => {
  const buffer = x.hb_buffer_create();
  const str = x.malloc(text.length * 2);
  for (let i = 0; i < text.length; i++) m.HEAPU16[str / 2 + i] = text.charCodeAt(i);
  x.hb_buffer_add_utf16(buffer, str, text.length, 0, text.length);
  x.free(str);
  x.hb_buffer_guess_segment_properties(buffer);
  x.hb_shape(font, buffer, 0, 0);
  const infos = x.hb_buffer_get_glyph_infos(buffer, 0) / 4;
  const pos = x.hb_buffer_get_glyph_positions(buffer, 0) / 4;
  const out = [];
  for (let i = 0; i < x.hb_buffer_get_length(buffer); i++)
    out.push([
      m.HEAPU32[infos + 5 * i],
      m.HEAPU32[infos + 5 * i + 2],
      ...[0, 2, 3].map((k) => m.HEAP32[pos + 5 * i + k]),
    ]);
  x.hb_buffer_destroy(buffer);
  return out;
};
const wholeFont = load(full);
const shapingFont = load(slim);
const WORDS = [
  "क्षत्रिय",
  "हिन्दी",
  "श्री",
  "कर्म",
  "ज़िंदगी",
  "पृथ्वी",
  "द्वार",
  "क्कू",
  "रूं",
  "ड़ें",
  "हृदय",
  "श्रृंगार",
  "प्रेम",
  "कृष्ण",
  "अर्द्ध",
  "स्त्री",
];
const same = WORDS.filter(
  (w) => JSON.stringify(shape(wholeFont, w)) === JSON.stringify(shape(shapingFont, w)),
);
const offsets = WORDS.filter((w) => shape(shapingFont, w).some((g) => g[3] !== 0 || g[4] !== 0));
const afterLoad = x.memory.buffer.byteLength;
const NAMES = ["क्षत्रिय भोजनालय", "हिन्दी किताब घर", "श्री गणेश स्वीट्स", "कर्म चाय की दुकान"];
let glyphs = 0;
for (let i = 0; i < names; i++) glyphs += shape(shapingFont, NAMES[i % NAMES.length]).length;
console.log(
  JSON.stringify({
    wasmBytes: readFileSync(join(hbDir, "harfbuzz.wasm")).length,
    fontBytes: full.length,
    shapingFontBytes: slim.length,
    shapingFontGzip: gzipSync(slim, { level: 9 }).length,
    words: WORDS.length,
    sameAsWholeFont: same.length,
    withGposOffsets: offsets,
    memoryAfterFonts: afterLoad,
    names,
    glyphs,
    memoryAfterNames: x.memory.buffer.byteLength,
  }),
);
