/**
 * Text of the print kit set in the embedded fonts: each text split into runs of one face
 * (a Korean name on a Chinese card takes its Hangul from the Korean face), measured with the
 * fonts' own advances, and collected per face so a PDF embeds one subset of each face with
 * exactly the glyphs it shows. Hebrew and Arabic lines are laid out right to left and Arabic
 * letters joined (core/bidi.ts, core/arabic-shaping.ts), Thai marks that would collide moved
 * (core/thai-marks.ts); no kerning or other ligatures. Devanagari, the other Indic scripts,
 * Sinhala, Khmer, Lao, Myanmar, Tibetan, Thaana, Syriac and N'Ko are shaped by HarfBuzz with
 * their Noto face's GSUB and GPOS (store/print-shaping.ts): conjuncts, half forms, the reph,
 * vowel signs drawn before their consonant, Khmer's subscript consonants, Tibetan's stacks,
 * Syriac's and N'Ko's joined letters, marks placed by GPOS offsets.
 */
import type { ShapedChar } from "../core/arabic-shaping";
import { visualLine } from "../core/bidi";
import {
  type FaceId,
  faceChain,
  type Glyph,
  type Region,
  type TextStyle,
} from "../core/glyph-pack";
import type { GlyphStore } from "../core/glyph-store";
import { num, type PdfFont } from "../core/pdf";
import { shapedRuns } from "../core/shaped-runs";
import { shapedFace } from "../core/shaped-scripts";
import { placeThaiMarks } from "../core/thai-marks";
import { subsetTrueType } from "../core/truetype";
import type { CardOptions } from "./print-marks";
import { shapedGlyphs } from "./print-shaped-glyphs";

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
 * Set `text` in the faces its style and language call for, its shaped runs in `lang` (a BCP 47
 * tag, for the letter forms a font gives that language) when given. Null when no face is
 * loaded (the caller falls back to system fonts, or refuses).
 *
 * @example
 * const shaped = shapeText(store, "Shibuya 渋谷店", "bold", "sc"); // one run, face sc-700
 * shapeText(store, "पुणे शाळा", "bold", "sc", "mr"); // Marathi's श
 */
export function shapeText(
  store: GlyphStore,
  text: string,
  style: TextStyle,
  region: Region,
  lang?: string,
): ShapedText | null {
  const chain = faceChain(style, region);
  const runs: TextRun[] = [];
  let width = 0;
  const push = (face: FaceId, glyph: Glyph) => {
    const last = runs.at(-1);
    if (last?.face === face) last.glyphs.push(glyph);
    else runs.push({ face, glyphs: [glyph] });
    width += glyph.advance / store.face(face)!.unitsPerEm;
  };
  const one = (ch: ShapedChar & { rtl: boolean }): boolean => {
    const placed = typedPrivateUse(ch) ? store.missing(chain, ch.cp) : store.place(chain, ch.cp);
    if (!placed) return false;
    // A glyph standing for several characters (lam-alef, a letter and its dropped marks) in a
    // right-to-left run maps to them in visual order too: readers reverse the run as a whole.
    const text = ch.rtl ? [...ch.text].reverse().join("") : ch.text;
    const own = text === String.fromCodePoint(placed.glyph.cp);
    push(placed.face, own ? placed.glyph : { ...placed.glyph, text });
    return true;
  };
  for (const item of shapedRuns(placeThaiMarks(visualLine(text).chars))) {
    if (!("run" in item)) {
      if (!one(item)) return null;
      continue;
    }
    const face = shapedFace(style, item.script);
    const shape = store.shaper(face);
    // Without the shaped face in the packs its letters are drawn one by one (as boxes).
    if (!shape) {
      for (const ch of item.chars) if (!one(ch)) return null;
      continue;
    }
    for (const { placed, glyph } of shapedGlyphs(store, face, item, shape, lang))
      push(placed.face, glyph);
  }
  return { runs, width };
}

/**
 * The layout's measure from the loaded fonts, for the SVG and the PDF alike: a text's width as
 * it will be set (in `lang`), else its length where no loaded face can set it.
 *
 * @example
 * const card = layoutCard(item, { ...options, measure: measureWith(fonts, options.textLang) });
 */
export function measureWith(fonts: GlyphStore, lang?: string): NonNullable<CardOptions["measure"]> {
  return (text, style, region) => shapeText(fonts, text, style, region, lang)?.width ?? text.length;
}

/**
 * The most glyphs a subset holds: its ids are 2-byte codes (Identity-H) and a TrueType font
 * counts its glyphs in 16 bits. A glyph takes an id per distinct text, and a text may carry
 * any run of invisible characters, so 1,200 cards of crafted names can ask for more.
 */
const MAX_GLYPHS = 0xffff;

const hex4 = (id: number) => id.toString(16).padStart(4, "0");

/**
 * The subsets a PDF embeds: per face, glyph ids in order of first use (0 is .notdef), each
 * distinct character its own id so the ToUnicode map gives every character back, even one no
 * face has (drawn as .notdef's box).
 *
 * @example
 * const subsets = new FontSubsets(store);
 * const show = subsets.show(run, 8); // "<00010002> Tj", for `/F0 8 Tf <00010002> Tj`
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

  /**
   * A run's text-showing operators at `size` (the font size set with `Tf`): `<ids> Tj`, or for
   * a shaped run whose glyphs HarfBuzz moves (an advance other than the glyph's own width, a
   * GPOS offset) a `TJ` whose numbers move each glyph by its x offset and the pen by its
   * advance, and a text rise (`Ts`) for a y offset, put back to 0 after it.
   *
   * @example
   * subsets.show(run, 4) // "<00010002> Tj", or "[<0001> 120 <0002> -120] TJ 0.4 Ts [<0003>] TJ 0 Ts"
   */
  show(run: TextRun, size: number): string {
    const ids = this.ids(run);
    const { glyphs: subset } = this.subset(run.face).entry;
    // The width a glyph has in the PDF (its /W entry): its span when shaped.
    const pdfWidth = (id: number) => subset[id]!.span ?? subset[id]!.advance;
    const moved = run.glyphs.some((g, i) => g.offset || g.advance !== pdfWidth(ids[i]!));
    if (!moved) return `<${ids.map(hex4).join("")}> Tj`;
    const upm = this.store.face(run.face)!.unitsPerEm;
    // A TJ number n moves the pen by -n/1000 em: font units d are -1000 d / upm.
    const k = -1000 / upm;
    let out = "";
    let items = "";
    let rise = 0;
    let shift = 0; // font units still to move the pen by before the next glyph
    const close = () => {
      if (items) out += `[${items.trim()}] TJ `;
      items = "";
    };
    run.glyphs.forEach((g, i) => {
      const [dx, dy] = g.offset ?? [0, 0];
      if (dy !== rise) {
        close();
        rise = dy;
        out += `${num((rise / upm) * size)} Ts `;
      }
      shift += dx;
      if (shift) items += `${num(shift * k)} `;
      items += `<${hex4(ids[i]!)}> `;
      shift = g.advance - pdfWidth(ids[i]!) - dx;
    });
    if (shift) items += `${num(shift * k)} `;
    close();
    if (rise) out += "0 Ts ";
    return out.trim();
  }

  /** A run's glyphs as ids of its face's subset. */
  private ids(run: TextRun): number[] {
    const s = this.subset(run.face);
    const out: number[] = [];
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
      out.push(id);
    }
    return out;
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
        widths: glyphs.map((g) => (g.span ?? g.advance) * k),
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
