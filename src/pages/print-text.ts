/**
 * Text of the print kit set in the embedded fonts: each text split into runs of one face
 * (a Korean name on a Chinese card takes its Hangul from the Korean face), measured with the
 * fonts' own advances, and collected per face so a PDF embeds one subset of each face with
 * exactly the glyphs it shows. Hebrew and Arabic lines are laid out right to left and Arabic
 * letters joined (core/bidi.ts, core/arabic-shaping.ts), Thai marks that would collide moved
 * (core/thai-marks.ts); no kerning or other ligatures.
 */
import { visualLine } from "../core/bidi";
import {
  type FaceId,
  faceChain,
  type Glyph,
  type Region,
  type TextStyle,
} from "../core/glyph-pack";
import type { GlyphStore } from "../core/glyph-store";
import type { PdfFont } from "../core/pdf";
import { placeThaiMarks } from "../core/thai-marks";
import { subsetTrueType } from "../core/truetype";

/** A run of one face: its glyphs in order. */
export interface TextRun {
  face: FaceId;
  glyphs: Glyph[];
}

/** A text set in the fonts: its runs (left to right as drawn) and its advance width in em. */
export interface ShapedText {
  runs: TextRun[];
  width: number;
}

const PRIVATE_USE = /\p{Co}/u;

/**
 * Whether a glyph to draw is a Private Use character the text itself holds (not a form chosen
 * for it): it is drawn as .notdef's box. The Thai face keeps its moved and alternate marks at
 * Private Use code points (U+F60D–U+F7CC), which would otherwise print a name's U+F748 as a
 * raised mai ek the shop never typed; Private Use has no meaning a card could print.
 */
const typedPrivateUse = (ch: { cp: number; text: string }) =>
  ch.text.codePointAt(0) === ch.cp && PRIVATE_USE.test(String.fromCodePoint(ch.cp));

/**
 * Set `text` in the faces its style and language call for. Null when no face is loaded (the
 * caller falls back to system fonts, or refuses).
 *
 * @example
 * const shaped = shapeText(store, "Shibuya 渋谷店", "bold", "sc"); // one run, face sc-700
 */
export function shapeText(
  store: GlyphStore,
  text: string,
  style: TextStyle,
  region: Region,
): ShapedText | null {
  const chain = faceChain(style, region);
  const runs: TextRun[] = [];
  let width = 0;
  for (const ch of placeThaiMarks(visualLine(text).chars)) {
    const placed = typedPrivateUse(ch) ? store.missing(chain, ch.cp) : store.place(chain, ch.cp);
    if (!placed) return null;
    // A glyph standing for several characters (lam-alef, a letter and its dropped marks) in a
    // right-to-left run maps to them in visual order too: readers reverse the run as a whole.
    const text = ch.rtl ? [...ch.text].reverse().join("") : ch.text;
    const own = text === String.fromCodePoint(placed.glyph.cp);
    const glyph = own ? placed.glyph : { ...placed.glyph, text };
    const last = runs.at(-1);
    if (last?.face === placed.face) last.glyphs.push(glyph);
    else runs.push({ face: placed.face, glyphs: [glyph] });
    width += glyph.advance / store.face(placed.face)!.unitsPerEm;
  }
  return { runs, width };
}

/**
 * The most glyphs a subset holds: its ids are 2-byte codes (Identity-H) and a TrueType font
 * counts its glyphs in 16 bits. A glyph takes an id per distinct text, and a text may carry
 * any run of invisible characters, so 1,200 cards of crafted names can ask for more.
 */
const MAX_GLYPHS = 0xffff;

/**
 * The subsets a PDF embeds: per face, glyph ids in order of first use (0 is .notdef), each
 * distinct character its own id so the ToUnicode map gives every character back, even one no
 * face has (drawn as .notdef's box).
 *
 * @example
 * const subsets = new FontSubsets(store);
 * const hex = subsets.encode(run); // "<00010002>", for `/F0 8 Tf <00010002> Tj`
 * const fonts = subsets.fonts();   // embed with pdfDocument
 */
export class FontSubsets {
  private readonly used = new Map<
    FaceId,
    { ids: Map<string, number>; byCp: Map<number, number>; glyphs: Glyph[] }
  >();

  constructor(private readonly store: GlyphStore) {}

  /** The PDF resource name of a face (`F0`, `F1`, … in order of first use). */
  resource(face: FaceId): string {
    return `F${this.subset(face).index}`;
  }

  /** A run as a hex string of 2-byte glyph ids of its face's subset. */
  encode(run: TextRun): string {
    const s = this.subset(run.face);
    let hex = "";
    for (const g of run.glyphs) {
      // One id per glyph and text: a mirrored bracket is another's glyph but its own text.
      const key = `${g.cp}:${g.text ?? ""}`;
      let id = s.entry.ids.get(key);
      if (id === undefined && s.entry.glyphs.length >= MAX_GLYPHS) {
        // Full (ids are 2 bytes, a TrueType font counts its glyphs in 16 bits): the glyph
        // takes an id it already has with another text, so it is drawn right and only its
        // text (the invisible characters or dropped marks after it) comes back as that one's.
        id = s.entry.byCp.get(g.cp) ?? 0;
      }
      if (id === undefined) {
        id = s.entry.glyphs.length;
        s.entry.ids.set(key, id);
        if (!s.entry.byCp.has(g.cp)) s.entry.byCp.set(g.cp, id);
        s.entry.glyphs.push(g);
      }
      hex += id.toString(16).padStart(4, "0");
    }
    return `<${hex}>`;
  }

  private subset(face: FaceId) {
    let entry = this.used.get(face);
    if (!entry) {
      const notdef = this.store.face(face)!.notdef;
      entry = {
        ids: new Map(),
        byCp: new Map(),
        glyphs: [{ cp: -1, advance: notdef.advance, outline: notdef.glyph }],
      };
      this.used.set(face, entry);
    }
    return { entry, index: [...this.used.keys()].indexOf(face) };
  }

  /** Every face used, as a font for {@link pdfDocument}. */
  fonts(): PdfFont[] {
    return [...this.used].map(([id, { glyphs }], i) => {
      const face = this.store.face(id)!;
      const k = 1000 / face.unitsPerEm;
      return {
        resource: `F${i}`,
        name: face.name,
        program: subsetTrueType(glyphs, face),
        widths: glyphs.map((g) => g.advance * k),
        unicode: glyphs.map((g) => g.text ?? (g.cp < 0 ? "" : String.fromCodePoint(g.cp))),
        unitsPerEm: face.unitsPerEm,
        ascent: face.ascent,
        descent: face.descent,
        capHeight: face.capHeight,
        bbox: face.bbox,
      };
    });
  }
}
