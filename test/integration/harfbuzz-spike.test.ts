// The Devanagari spike (docs/posters.md "Devanagari"): HarfBuzz, harfbuzzjs's WebAssembly build,
// loads and shapes in workerd from a wasm module imported as a module (as wrangler uploads it
// beside a kit), with Noto Sans Devanagari's own GSUB and GPOS. The classic words: the short i
// sign drawn before its consonant, conjuncts and reph from GSUB, a mark placed by GPOS.
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import deva from "../../node_modules/@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf?inline";
import { loadHarfBuzz } from "../support/harfbuzz";

function fontBytes(): Uint8Array {
  const bin = atob(deva.slice(deva.indexOf(",") + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The glyph id the font's cmap gives a character (format 4; Devanagari is in the BMP). */
function cmapGid(font: Uint8Array, cp: number): number {
  const dv = new DataView(font.buffer, font.byteOffset, font.byteLength);
  let cmap = 0;
  for (let i = 0; i < dv.getUint16(4); i++)
    if (String.fromCharCode(...font.subarray(12 + 16 * i, 16 + 16 * i)) === "cmap")
      cmap = dv.getUint32(12 + 16 * i + 8);
  for (let i = 0; i < dv.getUint16(cmap + 2); i++) {
    const o = cmap + dv.getUint32(cmap + 8 + 8 * i);
    if (dv.getUint16(o) !== 4) continue;
    const segs = dv.getUint16(o + 6) / 2;
    for (let s = 0; s < segs; s++) {
      const end = dv.getUint16(o + 14 + 2 * s);
      const start = dv.getUint16(o + 16 + 2 * segs + 2 * s);
      if (cp < start || cp > end) continue;
      const delta = dv.getInt16(o + 16 + 4 * segs + 2 * s);
      const roAt = o + 16 + 6 * segs + 2 * s;
      const ro = dv.getUint16(roAt);
      const g = ro === 0 ? cp : dv.getUint16(roAt + ro + 2 * (cp - start));
      return (g + delta) & 0xffff;
    }
  }
  return 0;
}

describe("HarfBuzz (harfbuzzjs) in workerd", () => {
  it("loads from the imported module and shapes with the font's GSUB: i sign first, conjuncts, reph", async () => {
    const font = fontBytes();
    const hb = await loadHarfBuzz(wasm, font);
    const gid = (ch: string) => cmapGid(font, ch.codePointAt(0)!);
    // हिन्दी: the i sign (U+093F) is drawn before ह although typed after it.
    const hindi = hb.shape("हिन्दी");
    expect(hindi.map((g) => g.cluster)).toEqual([0, 0, 2, 4, 4]);
    expect(hindi[1]!.gid).toBe(gid("ह"));
    expect(hindi[0]!.gid).not.toBe(gid("ह"));
    // न्द: न takes its half form (not the full letter and a virama).
    expect(hindi[2]!.gid).not.toBe(gid("न"));
    expect(hindi.map((g) => g.gid)).not.toContain(gid("्"));
    // क्ष, त्र, श्र are one glyph each, none the cmap's letters.
    for (const word of ["क्ष", "त्र", "श्र"]) {
      const shaped = hb.shape(word);
      expect(shaped, word).toHaveLength(1);
      expect([...word].map(gid), word).not.toContain(shaped[0]!.gid);
    }
    // क्षत्रिय: क्ष, then the i sign moved before त्र, त्र, य.
    const kshatriya = hb.shape("क्षत्रिय");
    expect(kshatriya.map((g) => g.cluster)).toEqual([0, 3, 3, 7]);
    expect(kshatriya[0]!.gid).toBe(hb.shape("क्ष")[0]!.gid);
    expect(kshatriya[2]!.gid).toBe(hb.shape("त्र")[0]!.gid);
    // कर्म: र् before म becomes the reph, drawn after म, with no advance of its own.
    const karma = hb.shape("कर्म");
    expect(karma.map((g) => g.gid).slice(0, 2)).toEqual([gid("क"), gid("म")]);
    expect(karma[2]!.gid).not.toBe(gid("र"));
    expect(karma[2]!.xAdvance).toBe(0);
    // श्री: the conjunct and the long ii sign.
    expect(hb.shape("श्री").map((g) => g.gid)).toEqual([hb.shape("श्र")[0]!.gid, gid("ी")]);
    // The instance's memory after loading the font and shaping.
    expect(hb.memoryBytes()).toBeLessThan(32 * 1024 * 1024);
    console.log(`harfbuzz spike: wasm memory ${hb.memoryBytes()} bytes`);
  });
});
