/**
 * The print kit's fonts as glyph packs (built by scripts/build-fonts.mjs from Noto Sans, SIL OFL
 * 1.1): per face a `face.json` (metrics, the 256-code-point blocks it covers, its .notdef) and
 * one `<block>.bin` per block with each character's advance and TrueType outline. Pure: the
 * bytes come from a loader (store/print-fonts.ts); this module reads them and decides which
 * face sets which character.
 */
import type { ShapedScript } from "./shaped-scripts";

/**
 * Faces: a region of the CJK fonts (their Latin is the same design; it has Latin-1, Vietnamese
 * and Russian, not the rest of Latin Extended nor other Cyrillic) by weight, the mono, Hebrew,
 * Arabic, Thai, Armenian (`armn`), Georgian (`geor`) and Ethiopic (`ethi`) (their letters only:
 * the CJK face of the chain sets the rest of the line), Noto Sans's Latin, Greek and Cyrillic
 * (`latn`), monochrome emoji (the last resort), and the shaped scripts ({@link ShapedScript}:
 * Devanagari, Bengali, Tamil…, Khmer, Lao, Myanmar, Tibetan, Thaana, Syriac, N'Ko), which are not in any chain: HarfBuzz shapes
 * their runs (pages/print-text.ts) and their packs hold glyphs by id.
 */
export type FaceId = `${Region | "emoji" | ShapedScript}-${400 | 700}` | "mono-700";
/**
 * Whose face a text tries first: a CJK region (its Han glyph forms), Hebrew, Arabic, Thai,
 * Armenian, Georgian or Ethiopic (its letters first, Simplified Chinese for the rest), or Latin
 * (Noto Sans: Latin, Greek and Cyrillic, Simplified Chinese for the rest).
 */
export type Region =
  | "sc"
  | "tc"
  | "jp"
  | "kr"
  | "he"
  | "ar"
  | "th"
  | "armn"
  | "geor"
  | "ethi"
  | "latn";

/**
 * Whether a block's characters are each drawn as themselves whatever surrounds them: Han (the
 * unified ideographs, their extensions and compatibility forms), Hangul syllables and the emoji
 * planes — most of the packs' bytes. Elsewhere a line cut to fit its card can draw a character
 * its whole text did not (an Arabic letter's final form, a mirrored bracket), so a file keeps
 * those blocks whole.
 *
 * @example
 * independentBlock(0x6e) // true (Han)
 * independentBlock(0xfe) // false (Arabic forms)
 * independentBlock(0x1000) // false (Devanagari glyphs by id)
 */
export function independentBlock(block: number): boolean {
  return (
    (block >= 0x34 && block <= 0x9f) ||
    (block >= 0xac && block <= 0xd7) ||
    block === 0xf9 ||
    block === 0xfa ||
    (block >= 0x1f0 && block <= 0x1ff) ||
    (block >= 0x200 && block < GLYPH_ID_BASE >> 8)
  );
}

/**
 * Where a shaped face's pack holds glyph `id`: at code point GLYPH_ID_BASE + id (Plane 16,
 * Private Use: no text names one, and a name's own is drawn as a box). Shaping picks glyphs,
 * not characters, and half of Noto Sans Devanagari's (half forms, conjuncts, the reph) have no
 * code point. Its blocks are loaded whole: a name cut to fit its card is shaped anew and may
 * draw a glyph the whole name did not (a consonant's half form before the cut).
 */
export const GLYPH_ID_BASE = 0x100000;

/** A face's metrics (font units) and coverage, as face.json holds them. */
export interface FaceInfo {
  id: FaceId;
  /** PostScript name, e.g. "NotoSansSC-Regular". */
  name: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
  /** Blocks (code point >> 8) that have a file. */
  blocks: number[];
  notdef: { advance: number; glyph: Uint8Array };
}

/** One character's glyph: advance in font units and its raw `glyf` outline (may be empty). */
export interface Glyph {
  cp: number;
  advance: number;
  outline: Uint8Array;
  /**
   * The text the glyph stands for when it is not `cp` itself: an Arabic letter's joined form
   * (U+FE91) stands for the letter (U+0628), the lam-alef ligature for two letters.
   */
  text?: string;
  /**
   * Where a shaped glyph is drawn from the pen, in font units (x right, y up): a mark GPOS
   * places under or over the letter before it (Devanagari's `ू` under `क्क`, the reph).
   */
  offset?: [number, number];
  /**
   * A shaped glyph's width in a PDF (font units), where it differs from its advance: a cluster's
   * first glyph, which carries its text (ToUnicode), spans the whole cluster, the others none, so
   * text extraction (pdftotext) sees the cluster's text as one letter run with no gap in it
   * where the glyphs with no text of their own stand. The pen still moves by each advance.
   */
  span?: number;
}

/** Where the packs live under the assets directory (the format's version is in the path). */
export const PACK_PATH = "/print-fonts/1";

/**
 * Read one block file: "QBG1", a count, then `{cp, advance, length, offset}` entries and the
 * outlines. Throws on a file that is not one.
 *
 * @example
 * const glyphs = readBlock(bytes); // Map { 0x6e0b => { cp, advance: 1000, outline } , … }
 */
export function readBlock(bytes: Uint8Array): Map<number, Glyph> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || dv.getUint32(0) !== 0x51424731) throw new Error("not a glyph block");
  const count = dv.getUint16(4);
  const data = 8 + 12 * count;
  const out = new Map<number, Glyph>();
  for (let i = 0; i < count; i++) {
    const at = 8 + 12 * i;
    const cp = dv.getUint32(at);
    const start = data + dv.getUint32(at + 8);
    const outline = bytes.subarray(start, start + dv.getUint16(at + 6));
    out.set(cp, { cp, advance: dv.getUint16(at + 4), outline });
  }
  return out;
}

/**
 * A face.json as a {@link FaceInfo} (the .notdef outline decoded from base64).
 *
 * @example
 * const face = readFace(await (await fetch(url)).json());
 */
export function readFace(
  json: Omit<FaceInfo, "notdef"> & { notdef: { advance: number; glyph: string } },
): FaceInfo {
  const bin = atob(json.notdef.glyph);
  const glyph = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) glyph[i] = bin.charCodeAt(i);
  return { ...json, notdef: { advance: json.notdef.advance, glyph } };
}

const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/;
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
const REGIONS: Region[] = ["sc", "jp", "tc", "kr"];
const THAI = /[\u0e00-\u0e7f]/;
/** Scripts set letter by letter in a face of their own, by the letters a text holds. */
const OWN_FACE: [RegExp, Region][] = [
  [/\p{sc=Armenian}/u, "armn"],
  [/\p{sc=Georgian}/u, "geor"],
  [/\p{sc=Ethiopic}/u, "ethi"],
];
/** Their regions, in that order: after Hebrew, Arabic and Thai in a face chain. */
const OWN_SCRIPTS = OWN_FACE.map(([, region]) => region);
const HAN = /\p{sc=Han}/u;
/** Card languages whose region's Han glyph forms differ from Simplified Chinese's. */
const HAN_REGION: Record<string, Region> = { "zh-Hant": "tc", ja: "jp", ko: "kr" };
/** Latin beyond Latin-1 (Turkish ş ğ ı, Polish ł…), Greek, Cyrillic, Vietnamese. */
const LATIN_EXTENDED = /[\u0100-\u024f\u0370-\u052f\u1e00-\u1eff]/;
/** Card languages written in Latin or Cyrillic letters (besides English), set in Noto Sans. */
const LATIN_LANGS = new Set(["es", "fr", "de", "pt", "it", "id", "vi", "tr", "ru"]);

/**
 * The region whose faces suit `text`: kana means Japanese, Hangul Korean, Thai letters Thai
 * (Armenian, Georgian, Ethiopic letters theirs),
 * Han on a `zh-Hant`, `ja` or `ko` card that language's region, Latin beyond Latin-1, Greek or
 * Cyrillic Latin (Noto Sans, which has them all: the CJK faces lack Turkish ş ğ ı, Polish ł,
 * Ukrainian і…); otherwise the print language's (`zh-Hant`
 * Traditional, `ja`, `ko`, `he`, `ar`, `th`, Latin for the Latin and Cyrillic languages), else
 * Simplified Chinese (English cards, whose Latin-1 the CJK faces set). Han characters look
 * different in each region's font, so a Japanese store name is set in the Japanese face even
 * on an English card; outside the CJK regions they take Simplified Chinese forms.
 *
 * @example
 * regionFor("Shibuya 渋谷店", "en") // "sc"
 * regionFor("しぶや 渋谷店", "en")   // "jp"
 * regionFor("臺北店", "zh-Hant")     // "tc"
 * regionFor("مخبز السوق", "ar")     // "ar"
 * regionFor("ร้านกาแฟ", "en")        // "th"
 * regionFor("Café Երևան", "en")      // "armn"
 * regionFor("თბილისი", "en")         // "geor"
 * regionFor("አዲስ ቡና", "en")          // "ethi"
 * regionFor("Şişli", "en")           // "latn"
 * regionFor("Café", "es")            // "latn"
 * regionFor("Tōkyō 東京店", "ja")     // "jp"
 */
export function regionFor(text: string, lang?: string): Region {
  if (KANA.test(text)) return "jp";
  if (HANGUL.test(text)) return "kr";
  if (THAI.test(text)) return "th";
  for (const [letters, region] of OWN_FACE) if (letters.test(text)) return region;
  // Han on a Traditional Chinese, Japanese or Korean card keeps that region's forms even beside
  // Latin Extended ("Tōkyō 東京店": the CJK faces have the macron vowels); a letter they lack
  // (ş, ł) comes from Noto Sans further down the chain.
  const cjk = lang && Object.hasOwn(HAN_REGION, lang) ? HAN_REGION[lang] : undefined;
  if (cjk && HAN.test(text)) return cjk;
  if (LATIN_EXTENDED.test(text)) return "latn";
  if (cjk) return cjk;
  if (lang === "he" || lang === "ar" || lang === "th") return lang;
  if (lang && LATIN_LANGS.has(lang)) return "latn";
  return "sc";
}

/** How a text is set: "bold" (store names), "code" (the manual code, monospace) or regular. */
export type TextStyle = "regular" | "bold" | "code";

/**
 * The faces to try, in order, for the characters of a text: the region's face first, then
 * Hebrew, Arabic and Thai, then Armenian, Georgian and Ethiopic, then the CJK regions' (a Korean
 * name in a Chinese card still finds its Hangul), then Latin (what the CJK faces' Latin lacks),
 * the mono first for codes, and monochrome emoji last (a character no text face has). Hebrew,
 * Arabic and Thai come before the CJK faces because these all have the block of the Arabic
 * presentation forms (U+FExx, for their own small and vertical forms): each would be fetched
 * and searched first in vain. Armenian, Georgian and Ethiopic come after them: Armenian shares
 * Hebrew's block (U+05xx) and its presentation forms' (U+FBxx), so a Hebrew or Arabic letter
 * never fetches the Armenian block first. For `he`, `ar`, `th`, `armn`, `geor`, `ethi` or `latn`
 * that face leads, then the others in that order, then the CJK faces from Simplified Chinese
 * (their Latin, digits and punctuation set the rest of a Hebrew, Arabic, Thai, Armenian,
 * Georgian or Ethiopic line).
 *
 * @example
 * faceChain("bold", "jp")    // ["jp-700", "he-700", "ar-700", "th-700", "armn-700", "geor-700", "ethi-700", "sc-700", "tc-700", "kr-700", "latn-700", "emoji-700"]
 * faceChain("regular", "ar") // ["ar-400", "he-400", "th-400", "armn-400", "geor-400", "ethi-400", "sc-400", "jp-400", "tc-400", "kr-400", "latn-400", "emoji-400"]
 * faceChain("regular", "armn") // ["armn-400", "he-400", "ar-400", "th-400", "geor-400", "ethi-400", "sc-400", "jp-400", "tc-400", "kr-400", "latn-400", "emoji-400"]
 */
export function faceChain(style: TextStyle, region: Region): FaceId[] {
  const weight = style === "regular" ? 400 : 700;
  const order: (Region | "emoji")[] = [
    "he",
    "ar",
    "th",
    ...OWN_SCRIPTS,
    ...REGIONS,
    "latn",
    "emoji",
  ];
  const chain = [region, ...order.filter((r) => r !== region)].map(
    (r) => `${r}-${weight}` as FaceId,
  );
  return style === "code" ? ["mono-700", ...chain] : chain;
}
