// The console's notice before printing (src/client/console/print-scripts.js), checked against
// what the built glyph packs draw: a name in a script they lack must warn (it prints as empty
// boxes), whichever script it is, and a name they fully draw must not.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cmapOf } from "../../scripts/font-cmap.mjs";
import { PRINTED_SCRIPTS, printIssue } from "../../src/client/console/print-scripts.js";
import { isInvisible, isMark } from "../../src/core/arabic-shaping";
import { PACK_PATH, readBlock } from "../../src/core/glyph-pack";
import { SHAPED_SCRIPTS } from "../../src/core/shaped-scripts";
import { thaiForms } from "../../src/core/thai-marks";

const PACKS = fileURLToPath(new URL(`../../build/assets${PACK_PATH}`, import.meta.url));

/**
 * Every code point some print face draws (bold faces, or the regular one of a face with no bold:
 * N'Ko's; the Thai face's own forms left out; a shaped face's (Devanagari's, Bengali's…) by its
 * shaping font's cmap: its pack holds glyphs by id).
 */
function drawn(): Set<number> {
  const forms = new Set(thaiForms().map((f) => f.cp));
  const out = new Set<number>();
  const faces = readdirSync(PACKS).filter((f) => existsSync(`${PACKS}/${f}/face.json`));
  expect(faces.length, "glyph packs missing: run node scripts/build-fonts.mjs").toBeGreaterThan(0);
  const bold = faces.filter(
    (f) => f.endsWith("-700") || !faces.includes(f.replace(/-400$/, "-700")),
  );
  for (const face of bold) {
    const { blocks } = JSON.parse(readFileSync(`${PACKS}/${face}/face.json`, "utf8"));
    if (existsSync(`${PACKS}/${face}/shaping.bin`))
      for (const cp of cmapOf(readFileSync(`${PACKS}/${face}/shaping.bin`)).keys()) out.add(cp);
    for (const b of blocks as number[])
      for (const cp of readBlock(readFileSync(`${PACKS}/${face}/${b.toString(16)}.bin`)).keys())
        if (!forms.has(cp)) out.add(cp);
  }
  return out;
}

describe("the console's print notice against the glyph packs", () => {
  it("warns for every block of letters no face draws, and for none a face draws wholly", () => {
    const have = drawn();
    // Letters by 128-code-point block: the BMP, and the mathematical letters of "fancy text".
    const blocks = new Map<number, { first: number; letters: number; drawn: number }>();
    for (let cp = 0x20; cp <= 0x1d7ff; cp++) {
      if (cp === 0x10000) cp = 0x1d400;
      if (!/\p{L}/u.test(String.fromCodePoint(cp))) continue;
      const b = blocks.get(cp >> 7) ?? { first: cp, letters: 0, drawn: 0 };
      b.letters++;
      if (have.has(cp)) b.drawn++;
      blocks.set(cp >> 7, b);
    }
    const silent: string[] = [];
    const wrong: string[] = [];
    for (const [block, b] of blocks) {
      const letter = String.fromCodePoint(b.first);
      const warns = printIssue(`Shop ${letter}`) === "unprintable";
      const at = `U+${(block << 7).toString(16)} ${letter}`;
      if (b.drawn === 0 && !warns) silent.push(at);
      if (b.drawn === b.letters && warns) wrong.push(at);
    }
    expect(silent, "blocks printing as boxes with no warning").toEqual([]);
    expect(wrong, "blocks the fonts draw that warn").toEqual([]);
    // The walk saw both kinds (a check that the packs were read).
    expect([...blocks.values()].filter((b) => b.drawn === 0).length).toBeGreaterThan(50);
  });

  it("warns for every combining mark that prints as a box after a Latin letter, and for none it draws", () => {
    const have = drawn();
    const silent: string[] = [];
    const wrong: string[] = [];
    for (let cp = 0x300; cp <= 0x1ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!/\p{M}/u.test(ch) || isInvisible(cp)) continue;
      // Harakat and Hebrew points are not drawn at all (core/arabic-shaping.ts): never a box.
      const box = !have.has(cp) && !isMark(cp);
      const warns = printIssue(`Cafe${ch}`) === "unprintable";
      const at = `U+${cp.toString(16)}`;
      if (box && !warns) silent.push(at);
      if (!box && warns) wrong.push(at);
    }
    expect(silent, "marks printing as boxes with no warning").toEqual([]);
    expect(wrong, "marks the fonts draw that warn").toEqual([]);
  });

  it("draws every letter and mark of Armenian, Georgian, Ethiopic, Devanagari and the shaped scripts, and warns for none it draws", () => {
    const have = drawn();
    for (const script of [
      "Armenian",
      "Georgian",
      "Ethiopic",
      "Devanagari",
      "Bengali",
      "Gurmukhi",
      "Gujarati",
      "Oriya",
      "Tamil",
      "Telugu",
      "Kannada",
      "Malayalam",
      "Sinhala",
      "Khmer",
      "Lao",
      "Myanmar",
      "Tibetan",
      "Thaana",
      "Syriac",
      "Nko",
    ]) {
      // Beyond the BMP, Tamil's fractions and signs, Sinhala's archaic numbers and Myanmar's
      // Extended-C digits are in other Noto faces (no letter among them: a name with one prints
      // a box there, as the console's notice warns of letters only).
      const beyond = ["Armenian", "Georgian", "Ethiopic", "Devanagari"].includes(script)
        ? ""
        : "--[\\u{10000}-\\u{10ffff}]";
      const own = new RegExp(`[\\p{sc=${script}}--\\p{Cn}${beyond}]`, "v");
      const missing: string[] = [];
      let count = 0;
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        if (cp === 0xd800) cp = 0xe000;
        const ch = String.fromCodePoint(cp);
        if (!own.test(ch)) continue;
        count++;
        const letter = /\p{L}/u.test(ch);
        if (!have.has(cp)) missing.push(`U+${cp.toString(16)}${letter ? " (letter)" : ""}`);
        // A letter the fonts draw gets no notice; one they lack (newer than the font) gets one.
        if (letter)
          expect(printIssue(`Shop ${ch}`), `U+${cp.toString(16)}`).toBe(
            have.has(cp) ? null : "unprintable",
          );
      }
      // Only the nakaara pollu of Telugu and Kannada (Unicode 17) are newer than their faces;
      // Noto Sans Syriac has no Syriac Supplement (Suriyani Malayalam) letters.
      const newer: Record<string, string[]> = {
        Telugu: ["U+c5c (letter)"],
        Kannada: ["U+cdc (letter)"],
        Syriac: Array.from({ length: 11 }, (_, i) => `U+${(0x860 + i).toString(16)} (letter)`),
      };
      expect(missing, `${script} characters no face draws`).toEqual(newer[script] ?? []);
      // Armenian 96, Georgian 174, Ethiopic 523, Devanagari 164, Gurmukhi 80, N'Ko 62, Thaana 50
      // (the fewest) code points in Unicode 15 and later.
      expect(count, script).toBeGreaterThan(["Thaana", "Nko"].includes(script) ? 45 : 70);
    }
  });

  it("warns for names shops write in scripts the fonts lack, with or without emoji", () => {
    for (const name of [
      "Երևան ᠮᠣᠩ", // Armenian prints, Mongolian does not
      "ܫܠܡܐ ࡠ", // Syriac prints, Suriyani Malayalam does not
      "ࠀࠁࠂ", // Samaritan
      "ᠮᠣᠩᠭᠣᠯ", // Mongolian
      "ᏣᎳᎩ", // Cherokee
      "𝓒𝓪𝓯𝓮 𝐁𝐚𝐫", // mathematical letters
      "ᴄᴀꜰᴇ", // small capitals
      "Καφενείο ἀγορά", // polytonic Greek
      "چائے خانہ ݘ", // Arabic Supplement letter in an Urdu name
      "ꦗꦮ ☕", // Javanese with an emoji
      "চা ᠮᠣᠩ 👨‍👩‍👧", // Bengali prints, Mongolian does not, with an emoji sequence
      "श्री ᨴᩤ", // Devanagari prints, Tai Tham does not
    ])
      expect(printIssue(name), name).toBe("unprintable");
  });

  it("does not warn for names the fonts draw", () => {
    for (const name of [
      "Καφενείο Αθήνα",
      "Київ Кав'ярня",
      "Phở Hà Nội",
      "ร้านกาแฟ ☕",
      "ㄅㄆ 台北",
      "שּׁלום",
      "مخبز ﷲ",
      "Ⓒⓐⓕⓔ",
      "가게",
      "Երևան Սրճարան",
      "თბილისი კაფე ᲗᲑᲘᲚᲘᲡᲘ",
      "አዲስ ቡና ቤት።",
      "हिन्दी किराना",
      "श्री गणेश स्वीट्स ॥",
      "ދިވެހި ފިހާރަ",
      "ܫܠܡܐ",
      "ߒߞߏ ☕",
      "ལྷ་ས",
    ])
      expect(printIssue(name), name).toBeNull();
  });

  it("lists as printed every script a face draws, the shaped ones included, and no other", () => {
    const have = drawn();
    // Every script HarfBuzz shapes is in the console's list (its ISO 15924 code, capitalised).
    for (const code of Object.keys(SHAPED_SCRIPTS)) {
      const iso = code[0]!.toUpperCase() + code.slice(1);
      expect(PRINTED_SCRIPTS, iso).toContain(iso);
    }
    // Every script listed has letters the packs draw: none is listed that prints as boxes.
    for (const code of PRINTED_SCRIPTS) {
      const own = new RegExp(`\\p{sc=${code}}`, "u");
      let letters = 0;
      for (const cp of have)
        if (/\p{L}/u.test(String.fromCodePoint(cp)) && own.test(String.fromCodePoint(cp)))
          letters++;
      expect(letters, code).toBeGreaterThan(0);
    }
  });
});
