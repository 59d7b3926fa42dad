/**
 * Arabic letters joined as they are written: each letter takes its isolated, final, initial or
 * medial form by whether it joins its neighbours (the joining types of Unicode's
 * ArabicShaping.txt: dual-joining letters join on both sides, right-joining ones such as alef,
 * dal, reh and waw only to the letter before them), and lam followed by alef becomes one
 * ligature. The forms are the Arabic Presentation Forms code points (FB50–FDFF, FE70–FEFF),
 * which Noto Sans Arabic maps in its cmap to the same glyphs its GSUB `isol`/`fina`/`init`/`medi`
 * and lam-alef `rlig` give, so no GSUB is read. Harakat and other combining marks are dropped
 * (not drawn: drawing them would need GPOS mark positioning); the text they belong to keeps them.
 * Letters outside the table (rarer Arabic-script letters) are drawn in their isolated form.
 * Noon ghunna (U+06BA) is dual-joining but Unicode encodes only its isolated and final forms,
 * so it is joined here as a right-joining letter.
 */

/**
 * Forms per letter, in the Presentation Forms' order: isolated, final, initial, medial. Two
 * forms mean a right-joining letter, four a dual-joining one.
 */
const FORMS = new Map<number, number[]>([
  [0x0622, [0xfe81, 0xfe82]],
  [0x0623, [0xfe83, 0xfe84]],
  [0x0624, [0xfe85, 0xfe86]],
  [0x0625, [0xfe87, 0xfe88]],
  [0x0626, [0xfe89, 0xfe8a, 0xfe8b, 0xfe8c]],
  [0x0627, [0xfe8d, 0xfe8e]],
  [0x0628, [0xfe8f, 0xfe90, 0xfe91, 0xfe92]],
  [0x0629, [0xfe93, 0xfe94]],
  [0x062a, [0xfe95, 0xfe96, 0xfe97, 0xfe98]],
  [0x062b, [0xfe99, 0xfe9a, 0xfe9b, 0xfe9c]],
  [0x062c, [0xfe9d, 0xfe9e, 0xfe9f, 0xfea0]],
  [0x062d, [0xfea1, 0xfea2, 0xfea3, 0xfea4]],
  [0x062e, [0xfea5, 0xfea6, 0xfea7, 0xfea8]],
  [0x062f, [0xfea9, 0xfeaa]],
  [0x0630, [0xfeab, 0xfeac]],
  [0x0631, [0xfead, 0xfeae]],
  [0x0632, [0xfeaf, 0xfeb0]],
  [0x0633, [0xfeb1, 0xfeb2, 0xfeb3, 0xfeb4]],
  [0x0634, [0xfeb5, 0xfeb6, 0xfeb7, 0xfeb8]],
  [0x0635, [0xfeb9, 0xfeba, 0xfebb, 0xfebc]],
  [0x0636, [0xfebd, 0xfebe, 0xfebf, 0xfec0]],
  [0x0637, [0xfec1, 0xfec2, 0xfec3, 0xfec4]],
  [0x0638, [0xfec5, 0xfec6, 0xfec7, 0xfec8]],
  [0x0639, [0xfec9, 0xfeca, 0xfecb, 0xfecc]],
  [0x063a, [0xfecd, 0xfece, 0xfecf, 0xfed0]],
  [0x0641, [0xfed1, 0xfed2, 0xfed3, 0xfed4]],
  [0x0642, [0xfed5, 0xfed6, 0xfed7, 0xfed8]],
  [0x0643, [0xfed9, 0xfeda, 0xfedb, 0xfedc]],
  [0x0644, [0xfedd, 0xfede, 0xfedf, 0xfee0]],
  [0x0645, [0xfee1, 0xfee2, 0xfee3, 0xfee4]],
  [0x0646, [0xfee5, 0xfee6, 0xfee7, 0xfee8]],
  [0x0647, [0xfee9, 0xfeea, 0xfeeb, 0xfeec]],
  [0x0648, [0xfeed, 0xfeee]],
  [0x0649, [0xfeef, 0xfef0]],
  [0x064a, [0xfef1, 0xfef2, 0xfef3, 0xfef4]],
  // Persian letters (Presentation Forms-A).
  [0x067e, [0xfb56, 0xfb57, 0xfb58, 0xfb59]],
  [0x0686, [0xfb7a, 0xfb7b, 0xfb7c, 0xfb7d]],
  [0x0698, [0xfb8a, 0xfb8b]],
  [0x06a9, [0xfb8e, 0xfb8f, 0xfb90, 0xfb91]],
  [0x06af, [0xfb92, 0xfb93, 0xfb94, 0xfb95]],
  [0x06cc, [0xfbfc, 0xfbfd, 0xfbfe, 0xfbff]],
  // Urdu letters (Presentation Forms-A).
  [0x0679, [0xfb66, 0xfb67, 0xfb68, 0xfb69]],
  [0x0688, [0xfb88, 0xfb89]],
  [0x0691, [0xfb8c, 0xfb8d]],
  [0x06ba, [0xfb9e, 0xfb9f]],
  [0x06be, [0xfbaa, 0xfbab, 0xfbac, 0xfbad]],
  [0x06c1, [0xfba6, 0xfba7, 0xfba8, 0xfba9]],
  [0x06d2, [0xfbae, 0xfbaf]],
]);

/**
 * Every letter this module joins, with its forms (isolated, final[, initial, medial]): what
 * the tests check the Arabic face has.
 *
 * @example
 * arabicForms().get(0x0628) // [0xfe8f, 0xfe90, 0xfe91, 0xfe92]
 */
export function arabicForms(): ReadonlyMap<number, readonly number[]> {
  return FORMS;
}

/** Lam-alef ligatures by the alef: isolated and final (lam joined to the letter before it). */
const LAM_ALEF = new Map<number, [number, number]>([
  [0x0622, [0xfef5, 0xfef6]],
  [0x0623, [0xfef7, 0xfef8]],
  [0x0625, [0xfef9, 0xfefa]],
  [0x0627, [0xfefb, 0xfefc]],
]);
const LAM = 0x0644;
/** Tatweel (kashida) joins on both sides and has one form. */
const TATWEEL = 0x0640;

/** Joining type: D dual, R right, C join-causing, T transparent (marks), U non-joining. */
export type JoiningType = "D" | "R" | "C" | "T" | "U";

/**
 * A character's joining type as ArabicShaping.txt gives it, for the letters this module shapes
 * (every other character is U, which is what a space, a digit or a Latin letter is).
 *
 * @example
 * joiningType(0x0628) // "D" (beh)
 * joiningType(0x0627) // "R" (alef)
 * joiningType(0x064e) // "T" (fatha)
 */
export function joiningType(cp: number): JoiningType {
  const forms = FORMS.get(cp);
  if (forms) return forms.length === 4 ? "D" : "R";
  if (cp === TATWEEL || cp === ZWJ) return "C";
  if (cp === ZWNJ) return "U";
  if (isMark(cp) || isInvisible(cp)) return "T";
  return "U";
}

const ZWNJ = 0x200c;
const ZWJ = 0x200d;

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * Characters with no glyph that steer layout or presentation: Unicode's default-ignorable code
 * points, which renderers draw as nothing. Among them zero-width (non-)joiner and space, the
 * direction marks and embeddings (LRM, RLM, ALM, LRE…PDF, LRI…PDI), word joiner, BOM, the
 * variation selectors an emoji keyboard puts after ©, ™ or a digit, tag characters (flags),
 * soft hyphen. They are not drawn (the fonts have nothing for them: they would print as
 * boxes); the text keeps them.
 *
 * @example
 * isInvisible(0x200f) // true (RLM)
 * isInvisible(0xfe0f) // true (emoji presentation selector)
 */
export function isInvisible(cp: number): boolean {
  return DEFAULT_IGNORABLE.test(String.fromCodePoint(cp));
}

/**
 * Arabic combining marks (harakat, Quranic marks, superscript alef) and Hebrew points.
 *
 * @example
 * isMark(0x064e) // true (fatha)
 * isMark(0x05b8) // true (qamats)
 */
export function isMark(cp: number): boolean {
  return (
    (cp >= 0x064b && cp <= 0x065f) ||
    cp === 0x0670 ||
    (cp >= 0x06d6 && cp <= 0x06dc) ||
    (cp >= 0x06df && cp <= 0x06e4) ||
    (cp >= 0x06e7 && cp <= 0x06e8) ||
    (cp >= 0x06ea && cp <= 0x06ed) ||
    (cp >= 0x0591 && cp <= 0x05bd) ||
    cp === 0x05bf ||
    cp === 0x05c1 ||
    cp === 0x05c2 ||
    cp === 0x05c4 ||
    cp === 0x05c5 ||
    cp === 0x05c7
  );
}

/** One glyph to draw: the code point to look up and the logical text it stands for. */
export interface ShapedChar {
  /** Code point whose glyph is drawn (a presentation form for a joined Arabic letter). */
  cp: number;
  /** The characters as written (two for lam-alef; marks dropped from drawing stay here). */
  text: string;
  /** Index (in code points) of its first character in the text. */
  at: number;
}

const joinsBefore = (t: JoiningType | undefined) => t === "D" || t === "R" || t === "C";
const joinsAfter = (t: JoiningType | undefined) => t === "D" || t === "C";

/**
 * `cps` (logical order) as the glyphs to draw, still in logical order: Arabic letters in their
 * joined forms, lam-alef as one ligature, combining marks and invisible characters not drawn
 * (their text goes with the glyph before them). Other characters pass through as they are.
 *
 * @example
 * shapeArabic([..."مخبز"].map((c) => c.codePointAt(0)!)).map((s) => s.cp.toString(16))
 * // ["fee3", "fea8", "fe92", "feb0"]
 * shapeArabic([0x0644, 0x0627]) // [{ cp: 0xfefb, text: "لا", at: 0 }]
 */
export function shapeArabic(cps: number[]): ShapedChar[] {
  const types = cps.map(joiningType);
  // The joining type of the nearest non-transparent neighbour on each side.
  const neighbour = (i: number, step: 1 | -1): JoiningType | undefined => {
    for (let j = i + step; j >= 0 && j < cps.length; j += step)
      if (types[j] !== "T") return types[j];
    return undefined;
  };
  const out: ShapedChar[] = [];
  // Marks and invisible characters before the first glyph: their text goes with it.
  let pending = "";
  const push = (c: ShapedChar) => {
    out.push({ ...c, text: pending + c.text });
    pending = "";
  };
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const text = String.fromCodePoint(cp);
    if (types[i] === "T" || isInvisible(cp)) {
      const last = out.at(-1);
      if (last) last.text += text;
      else pending += text;
      continue;
    }
    const forms = FORMS.get(cp);
    if (!forms) {
      push({ cp, text, at: i });
      continue;
    }
    const before = joinsAfter(neighbour(i, -1));
    if (cp === LAM) {
      let next = i + 1;
      while (next < cps.length && types[next] === "T") next++;
      const ligature = LAM_ALEF.get(cps[next]!);
      if (ligature) {
        // Marks between lam and alef are not drawn; the text keeps them where they were.
        const written = String.fromCodePoint(...cps.slice(i, next + 1));
        push({ cp: ligature[before ? 1 : 0], text: written, at: i });
        i = next;
        continue;
      }
    }
    const after = forms.length === 4 && joinsBefore(neighbour(i, 1));
    const form = before ? (after ? 3 : 1) : after ? 2 : 0;
    push({ cp: forms[form]!, text, at: i });
  }
  return out;
}
