/**
 * A minimal bidi for one printed line (a store name, a label): Hebrew and Arabic drawn right to
 * left, digits and Latin inside them left to right. It follows the Unicode Bidirectional
 * Algorithm (UAX #9) for what such a line has, with no explicit embeddings, isolates or
 * multiple paragraphs:
 * - the line's direction is its first strong letter's (P2–P3), left to right without one;
 * - combining marks take their base's type (W1); a `.` `,` `:` or `/` between digits is part
 *   of the number (W4); European digits after a Latin letter, or at the start of a
 *   left-to-right line, are Latin (W7), Arabic-Indic ones never; other digits count as right to
 *   left around them (N1);
 * - spaces and punctuation between two letters of one direction take it, else the line's
 *   (N1–N2);
 * - levels as I1–I2, runs reversed from the highest level down (L2), and brackets mirrored in
 *   right-to-left runs (L4);
 * - LRM and RLM count as a Latin and a Hebrew letter; embedding and isolate controls are
 *   ignored (not drawn either).
 * Shaping (Arabic joining) happens before, on the logical order (arabic-shaping.ts).
 */
import { isMark, type ShapedChar, shapeArabic } from "./arabic-shaping";

/** A character's bidi class as this module resolves it: L, R (Hebrew and Arabic), a number, other. */
type BidiType = "L" | "R" | "EN" | "ON";

const LETTER = /\p{L}/u;
const MIRRORED = new Map<number, number>([
  [0x28, 0x29],
  [0x29, 0x28],
  [0x3c, 0x3e],
  [0x3e, 0x3c],
  [0x5b, 0x5d],
  [0x5d, 0x5b],
  [0x7b, 0x7d],
  [0x7d, 0x7b],
  [0xab, 0xbb],
  [0xbb, 0xab],
]);

/**
 * Whether `cp` is a right-to-left letter (Hebrew, Arabic and their presentation forms, and the
 * scripts between them and U+08FF: Syriac, Thaana, N'Ko, which HarfBuzz shapes, and others no
 * print face has).
 *
 * @example
 * isRtl(0x05d0) // true (alef)
 * isRtl(0x0661) // false (Arabic-Indic digit one: a number)
 */
export function isRtl(cp: number): boolean {
  return (
    (cp >= 0x0590 && cp <= 0x08ff && !isDigit(cp) && !isMark(cp)) ||
    (cp >= 0xfb1d && cp <= 0xfdff) ||
    (cp >= 0xfe70 && cp <= 0xfefc)
  );
}

function isDigit(cp: number): boolean {
  return (
    (cp >= 0x30 && cp <= 0x39) || (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06f0 && cp <= 0x06f9)
  );
}

/** Arabic-Indic digits (class AN); the Eastern ones, U+06F0–06F9, are European (EN). */
function isArabicNumber(cp: number): boolean {
  return cp >= 0x0660 && cp <= 0x0669;
}

function baseType(cp: number): BidiType {
  if (isDigit(cp)) return "EN";
  if (cp === 0x200e) return "L"; // LRM
  if (cp === 0x200f) return "R"; // RLM
  if (isRtl(cp)) return "R";
  if (LETTER.test(String.fromCodePoint(cp))) return "L";
  return "ON";
}

const SEPARATORS = new Set([0x2c, 0x2e, 0x2f, 0x3a]);

/**
 * The embedding level of each code point of a line, and whether the line is right to left
 * (even levels are drawn left to right, odd ones right to left).
 *
 * @example
 * bidiLevels([..."אב 24"].map((c) => c.codePointAt(0)!)) // { rtl: true, levels: [1, 1, 1, 2, 2] }
 */
export function bidiLevels(cps: number[]): { rtl: boolean; levels: number[] } {
  const types = cps.map(baseType);
  // W1: a mark takes its base's type.
  cps.forEach((cp, i) => {
    if (isMark(cp) || /\p{M}/u.test(String.fromCodePoint(cp))) types[i] = i ? types[i - 1]! : "ON";
  });
  // W4: one separator between two digits joins the number.
  for (let i = 1; i < types.length - 1; i++)
    if (SEPARATORS.has(cps[i]!) && types[i - 1] === "EN" && types[i + 1] === "EN") types[i] = "EN";
  const first = types.find((t) => t === "L" || t === "R");
  const rtl = first === "R";
  const base = rtl ? 1 : 0;
  // W7: European digits whose previous strong letter is Latin (or none, in a left-to-right
  // line) are L. Arabic-Indic digits (U+0660–0669, class AN) never are: after a Latin brand in
  // an Arabic name they stay a number of the Arabic text, not part of the brand's run.
  let strong: BidiType = rtl ? "R" : "L";
  const numberAsL = types.map((t, i) => {
    if (t === "L" || t === "R") strong = t;
    return t === "EN" && strong === "L" && !isArabicNumber(cps[i]!);
  });
  // Direction each position counts as for the neutrals: digits as R unless they became L.
  const dir = types.map((t, i) => (t === "EN" ? (numberAsL[i] ? "L" : "R") : t));
  // N1–N2: a run of neutrals takes its neighbours' direction when both agree, else the line's.
  for (let i = 0; i < dir.length; ) {
    if (dir[i] !== "ON") {
      i++;
      continue;
    }
    let end = i;
    while (end < dir.length && dir[end] === "ON") end++;
    const before = i > 0 ? dir[i - 1] : rtl ? "R" : "L";
    const after = end < dir.length ? dir[end] : rtl ? "R" : "L";
    const resolved = before === after ? before! : rtl ? "R" : "L";
    for (let k = i; k < end; k++) dir[k] = resolved;
    i = end;
  }
  // I1–I2.
  const levels = dir.map((d, i) => {
    if (types[i] === "EN" && !numberAsL[i]) return base + (base % 2 ? 1 : 2);
    if (d === "R") return base % 2 ? base : base + 1;
    return base % 2 ? base + 1 : base;
  });
  return { rtl, levels };
}

/**
 * The visual order of items with these levels (L2): indexes into them, left to right.
 *
 * @example
 * visualOrder([1, 1, 1, 2, 2]) // [3, 4, 2, 1, 0]
 */
export function visualOrder(levels: number[]): number[] {
  const order = levels.map((_, i) => i);
  if (levels.length === 0) return order;
  const max = Math.max(...levels);
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1), max + 1);
  for (let level = max; level >= lowestOdd; level--) {
    for (let i = 0; i < order.length; ) {
      if (levels[order[i]!]! < level) {
        i++;
        continue;
      }
      let end = i;
      while (end < order.length && levels[order[end]!]! >= level) end++;
      order.splice(i, end - i, ...order.slice(i, end).reverse());
      i = end;
    }
  }
  return order;
}

/** A glyph of a line as drawn: whether it stands in a right-to-left run. */
export interface VisualChar extends ShapedChar {
  rtl: boolean;
}

/** A line as it is drawn: its glyphs' code points left to right, and its direction. */
export interface VisualLine {
  rtl: boolean;
  chars: VisualChar[];
}

/**
 * A line as it is drawn: Arabic shaped on the logical order, then reordered left to right,
 * brackets mirrored where they stand in a right-to-left run. Each char keeps the text it
 * stands for, so the written order can be given back (PDF ActualText, SVG aria-label).
 *
 * @example
 * visualLine("מאפיית השוק 24").chars.map((c) => c.text).join("")
 * // "24 קושה תייפאמ"
 */
export function visualLine(text: string): VisualLine {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const { rtl, levels } = bidiLevels(cps);
  const shaped = shapeArabic(cps);
  const order = visualOrder(shaped.map((s) => levels[s.at]!));
  const chars = order.map((i) => {
    const s = shaped[i]!;
    const odd = levels[s.at]! % 2 === 1;
    return { ...s, cp: (odd && MIRRORED.get(s.cp)) || s.cp, rtl: odd };
  });
  return { rtl, chars };
}
