#!/usr/bin/env node
// Builds the print kit's glyph packs (build/assets/print-fonts/) from the Noto Sans TrueType
// fonts of the @expo-google-fonts packages (SIL OFL 1.1: embedding and redistribution allowed):
// per face, `face.json` (metrics, the blocks it covers, .notdef) and one `<block>.bin` per 256
// code points holding each character's advance and raw `glyf` outline. The Worker reads them
// through the PRINT_FONTS assets binding and embeds only the glyphs a file uses, so no font
// counts against the bundle's budget. Runs before `npm run dev`, `npm test` and deploys; it
// skips the work when the packs are already built from the same font files.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { cmapOf } from "./font-cmap.mjs";
import { plainGlyph } from "./glyf-flatten.mjs";
import { glyphsById, withDefaultFeatures, withTables } from "./shaped-faces.mjs";
import { thaiForms } from "./thai-forms.mjs";

const require = createRequire(import.meta.url);
const OUT = "build/assets/print-fonts/1";
const quiet = process.argv.includes("--quiet");

// Face id → package file, PostScript name and the code point ranges taken (default: all).
// Mono sets the manual code only (ASCII); Hebrew and Arabic set only their own letters (the
// CJK faces set the Latin, digits and punctuation around them), Arabic with its presentation
// forms (FB50–FDFF, FE70–FEFF): src/core/arabic-shaping.ts picks a letter's joined form there.
const HEBREW = [
  [0x0590, 0x05ff],
  [0xfb1d, 0xfb4f],
];
const ARABIC = [
  [0x0600, 0x06ff],
  [0xfb50, 0xfdff],
  [0xfe70, 0xfeff],
];
// Thai sets its own block only. Emoji (monochrome Noto Emoji, the chain's last resort) from
// U+2000 on: the text faces before it have the Latin-1 signs (©, ®) it also has.
const THAI = [[0x0e00, 0x0e7f]];
// Noto Sans's Latin (all of it: the CJK faces lack most of Latin Extended), Greek, Cyrillic,
// combining marks and punctuation: the face of the Latin and Cyrillic card languages and of
// names the CJK faces cannot set (glyph-pack.ts regionFor).
const LATIN = [
  [0x0020, 0x036f],
  [0x0370, 0x052f],
  [0x1e00, 0x1eff],
  [0x2000, 0x20cf],
  [0x2c60, 0x2c7f],
  [0xa720, 0xa7ff],
];
const EMOJI = [[0x2000, 0x10ffff]];
// Armenian, Georgian and Ethiopic set their own blocks only (the CJK faces set the Latin and
// digits around them, as for Hebrew): scripts drawn letter by letter, with no shaping. Armenian
// with its ligature code points (FB13–FB17), Georgian's Mkhedruli, Asomtavruli, Mtavruli
// (1C90–1CBF) and Nuskhuri (2D00–2D2F), Ethiopic with its Supplement and Extended (A, B) blocks. Not
// the Georgian lari sign (U+20BE): Noto Sans has it, and a General Punctuation block in the
// Georgian face would be fetched in vain for a Hebrew or Thai name's dash.
const ARMENIAN = [
  [0x0530, 0x058f],
  [0xfb13, 0xfb17],
];
const GEORGIAN = [
  [0x10a0, 0x10ff],
  [0x1c90, 0x1cbf],
  [0x2d00, 0x2d2f],
];
const ETHIOPIC = [
  [0x1200, 0x139f],
  [0x2d80, 0x2ddf],
  [0xab00, 0xab2f],
  [0x1e7e0, 0x1e7ff],
];
const SHAPED = [
  ["deva", "Devanagari"],
  ["beng", "Bengali"],
  ["guru", "Gurmukhi"],
  ["gujr", "Gujarati"],
  ["orya", "Oriya"],
  ["taml", "Tamil"],
  ["telu", "Telugu"],
  ["knda", "Kannada"],
  ["mlym", "Malayalam"],
  ["sinh", "Sinhala"],
  ["khmr", "Khmer"],
  ["laoo", "Lao"],
  ["mymr", "Myanmar"],
  // Right to left, shaped by HarfBuzz too (Syriac and N'Ko join as Arabic does; Thaana's vowel
  // signs are marks GPOS places). Tibetan's Noto face is a serif one (there is no Noto Sans
  // Tibetan); N'Ko's has a regular weight only, which sets its bold text too.
  ["thaa", "Thaana"],
  ["syrc", "Syriac"],
  ["tibt", "Tibetan", "serif"],
  ["nkoo", "NKo", "sans", [400]],
];
const SHAPED_IDS = new Set(SHAPED.map(([id]) => id));
/**
 * The regular and bold faces of one @expo-google-fonts Noto package: `noto-sans-thai`'s
 * `400Regular/NotoSansThai_400Regular.ttf` as `th-400` (PostScript `NotoSansThai-Regular`)…
 */
function both(region, pkg, family, ranges, weights = [400, 700]) {
  const face = (weight, style) => [
    `${region}-${weight}`,
    [pkg, `${weight}${style}/${family}_${weight}${style}.ttf`, `${family}-${style}`, ranges],
  ];
  const faces = { 400: face(400, "Regular"), 700: face(700, "Bold") };
  return weights.map((w) => faces[w]);
}
const FACES = Object.fromEntries([
  ...both("sc", "noto-sans-sc", "NotoSansSC"),
  ...both("tc", "noto-sans-tc", "NotoSansTC"),
  ...both("jp", "noto-sans-jp", "NotoSansJP"),
  ...both("kr", "noto-sans-kr", "NotoSansKR"),
  both("mono", "noto-sans-mono", "NotoSansMono", [[0x20, 0x7e]])[1],
  ...both("he", "noto-sans-hebrew", "NotoSansHebrew", HEBREW),
  ...both("ar", "noto-sans-arabic", "NotoSansArabic", ARABIC),
  ...both("th", "noto-sans-thai", "NotoSansThai", THAI),
  ...both("armn", "noto-sans-armenian", "NotoSansArmenian", ARMENIAN),
  ...both("geor", "noto-sans-georgian", "NotoSansGeorgian", GEORGIAN),
  ...both("ethi", "noto-sans-ethiopic", "NotoSansEthiopic", ETHIOPIC),
  // Shaped by HarfBuzz, so their packs are by glyph id (scripts/shaped-faces.mjs): Devanagari,
  // the other Indic scripts, Sinhala, Khmer, Lao, Myanmar, Thaana, Syriac, Tibetan and N'Ko
  // (ISO 15924 codes, as src/core/shaped-scripts.ts SHAPED_SCRIPTS).
  ...SHAPED.flatMap(([id, name, style = "sans", weights]) => {
    const Style = style === "serif" ? "Serif" : "Sans";
    return both(id, `noto-${style}-${name.toLowerCase()}`, `Noto${Style}${name}`, [], weights);
  }),
  ...both("latn", "noto-sans", "NotoSans", LATIN),
  ...both("emoji", "noto-emoji", "NotoEmoji", EMOJI),
]);

function fontPath(pkg, file) {
  return join(dirname(require.resolve(`@expo-google-fonts/${pkg}/package.json`)), file);
}

/** The tables of a TrueType font, and readers over them. */
function parse(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tables = {};
  for (let i = 0; i < dv.getUint16(4); i++) {
    const o = 12 + 16 * i;
    tables[buf.toString("latin1", o, o + 4)] = dv.getUint32(o + 8);
  }
  const t = (tag) => {
    if (tables[tag] === undefined) throw new Error(`no ${tag} table`);
    return tables[tag];
  };
  const glyphs = dv.getUint16(t("maxp") + 4);
  const longLoca = dv.getInt16(t("head") + 50) === 1;
  const loca = (g) =>
    longLoca ? dv.getUint32(t("loca") + 4 * g) : 2 * dv.getUint16(t("loca") + 2 * g);
  const longMetrics = dv.getUint16(t("hhea") + 34);
  const advance = (g) => dv.getUint16(t("hmtx") + 4 * Math.min(g, longMetrics - 1));
  const glyph = (g) => buf.subarray(t("glyf") + loca(g), t("glyf") + loca(g + 1));
  const cmap = cmapOf(buf);
  const head = t("head");
  const os2 = tables["OS/2"];
  const metrics = {
    unitsPerEm: dv.getUint16(head + 18),
    bbox: [0, 2, 4, 6].map((k) => dv.getInt16(head + 36 + k)),
    ascent: os2 ? dv.getInt16(os2 + 68) : dv.getInt16(t("hhea") + 4),
    descent: os2 ? dv.getInt16(os2 + 70) : dv.getInt16(t("hhea") + 6),
    capHeight: os2 && dv.getUint16(os2) >= 2 ? dv.getInt16(os2 + 88) : 700,
  };
  return { glyphs, glyph, advance, cmap, metrics };
}

/** One block's file: "QBG1", count, then {cp u32, advance u16, length u16, offset u32} and the outlines. */
function blockFile(entries) {
  const data = Buffer.concat(entries.map((e) => e.glyph));
  const out = Buffer.alloc(8 + 12 * entries.length + data.length);
  out.write("QBG1", 0, "latin1");
  out.writeUInt16BE(entries.length, 4);
  let offset = 0;
  entries.forEach((e, i) => {
    const at = 8 + 12 * i;
    if (e.glyph.length > 0xffff) throw new Error(`glyph of U+${e.cp.toString(16)} too long`);
    out.writeUInt32BE(e.cp, at);
    out.writeUInt16BE(e.advance, at + 4);
    out.writeUInt16BE(e.glyph.length, at + 6);
    out.writeUInt32BE(offset, at + 8);
    offset += e.glyph.length;
  });
  data.copy(out, 8 + 12 * entries.length);
  return out;
}

function buildFace(id, [pkg, file, name, ranges = [[0x20, 0x10ffff]]]) {
  const bytes = readFileSync(fontPath(pkg, file));
  const font = parse(bytes);
  const blocks = new Map();
  for (const [cp, g] of font.cmap) {
    if (!ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) continue;
    // A subset holds each glyph on its own (no components to renumber) and without hinting
    // (no fpgm/prep to run it): composite or hinted glyphs (the Arabic and Hebrew faces have
    // both) are flattened into plain outlines.
    const glyph = plainGlyph(font, g);
    const block = cp >> 8;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block).push({ cp, advance: font.advance(g), glyph });
  }
  // A shaped face: every glyph by id, and the font HarfBuzz shapes with (scripts/shaped-faces.mjs).
  if (SHAPED_IDS.has(id.split("-")[0])) {
    for (const entry of glyphsById(font, plainGlyph)) {
      const block = entry.cp >> 8;
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push(entry);
    }
    mkdirSync(join(OUT, id), { recursive: true });
    writeFileSync(join(OUT, id, "shaping.bin"), withTables(withDefaultFeatures(bytes).font));
  }
  // Thai's moved marks and alternate letters (scripts/thai-forms.mjs).
  if (id.startsWith("th-"))
    for (const form of thaiForms(font, bytes)) {
      const block = form.cp >> 8;
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push({ cp: form.cp, advance: font.advance(form.g), glyph: form.glyph });
    }
  mkdirSync(join(OUT, id), { recursive: true });
  for (const [block, entries] of blocks) {
    entries.sort((a, b) => a.cp - b.cp);
    writeFileSync(join(OUT, id, `${block.toString(16)}.bin`), blockFile(entries));
  }
  const notdef = plainGlyph(font, 0);
  const face = {
    id,
    name,
    ...font.metrics,
    blocks: [...blocks.keys()].sort((a, b) => a - b),
    notdef: { advance: font.advance(0), glyph: Buffer.from(notdef).toString("base64") },
  };
  writeFileSync(join(OUT, id, "face.json"), JSON.stringify(face));
  return blocks.size;
}

// Skip when built from the same files (their paths, sizes and mtimes).
const stamp = createHash("sha256")
  .update(
    JSON.stringify(
      Object.entries(FACES).map(([id, [pkg, file]]) => {
        const s = statSync(fontPath(pkg, file));
        return [id, file, s.size, s.mtimeMs];
      }),
    ),
  )
  .update(readFileSync(new URL(import.meta.url)))
  .update(readFileSync(new URL("./glyf-flatten.mjs", import.meta.url)))
  .update(readFileSync(new URL("./thai-forms.mjs", import.meta.url)))
  .update(readFileSync(new URL("./shaped-faces.mjs", import.meta.url)))
  .update(readFileSync(new URL("./font-cmap.mjs", import.meta.url)))
  .digest("hex");
const stampFile = join(OUT, "stamp");
if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  if (!quiet) console.log(`qrbridge: print fonts up to date (${OUT})`);
  process.exit(0);
}
rmSync(OUT, { recursive: true, force: true });
let files = 0;
for (const [id, spec] of Object.entries(FACES)) files += buildFace(id, spec) + 1;
writeFileSync(stampFile, stamp);
if (!quiet) console.log(`qrbridge: print fonts built: ${files} files in ${OUT}`);
