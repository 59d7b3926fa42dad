/**
 * The glyphs HarfBuzz shapes for a run of one shaped script (core/shaped-scripts.ts), placed
 * from the face's glyph pack for print-text.ts: each glyph by id, moved by HarfBuzz's advances
 * and offsets, and carrying its cluster's text once, so a PDF reader gives the text back as
 * written.
 */
import { type FaceId, GLYPH_ID_BASE, type Glyph } from "../core/glyph-pack";
import type { GlyphStore, Placed } from "../core/glyph-store";
import type { ShapedGlyph, Shaper } from "../core/harfbuzz";
import { shapeRun } from "../core/shaped-marks";
import { rightToLeft, type ShapedScript } from "../core/shaped-scripts";

/**
 * A run of a shaped script (Devanagari, Bengali…) shaped by HarfBuzz: each glyph from the
 * face's pack by id, moved by HarfBuzz's advance and offsets, and standing for its cluster's text (the characters HarfBuzz gathered
 * into one cluster, from its first glyph on; `क्षि` is one) through its first glyph in the
 * run, the others for nothing: a PDF's ToUnicode gives the text back once, as written (the i
 * sign drawn first and its consonant after stand for "हि" once, in that order), and the first
 * glyph's PDF width spans the cluster (Glyph.span). A right-to-left run (`rtl`: Thaana, Syriac,
 * N'Ko) comes back from HarfBuzz in visual order, its clusters last first; each cluster's text is
 * then reversed too, as an Arabic ligature's is: readers reverse a right-to-left run as a whole.
 *
 * A combining mark of another script that the face lacks (an Arabic mark such as U+0656 on a
 * Syriac letter) is left out of the shaping and not drawn (core/shaped-marks.ts): its letter's
 * text keeps it.
 *
 * @example
 * const run = { run: "महाराष्ट्र", rtl: false, script: "deva" } as const;
 * for (const { placed, glyph } of shapedGlyphs(store, "deva-700", run, shape, "mr"))
 *   push(placed.face, glyph);
 */
export function shapedGlyphs(
  store: GlyphStore,
  face: FaceId,
  { run, rtl, script }: { run: string; rtl: boolean; script: ShapedScript },
  shape: Shaper,
  lang?: string,
): { placed: Placed; glyph: Glyph }[] {
  // A run set against its script's direction (a lone vowel sign: core/shaped-runs.ts) is one
  // character of the line: one cluster, its whole text on its first glyph, in the line's order.
  const against = rtl !== rightToLeft(script);
  const shaped = shapeRun(shape, run, script, lang).map((g) =>
    against ? { ...g, cluster: 0 } : g,
  );
  const glyphs = rtl ? baseFirst(shaped) : shaped;
  const starts = [...new Set(glyphs.map((g) => g.cluster))].sort((a, b) => a - b);
  const clusterText = (c: number) => run.slice(c, starts[starts.indexOf(c) + 1] ?? run.length);
  const spans = new Map<number, number>();
  for (const g of glyphs) spans.set(g.cluster, (spans.get(g.cluster) ?? 0) + g.xAdvance);
  const told = new Set<number>();
  return glyphs.map((g) => {
    const cp = GLYPH_ID_BASE + g.gid;
    // A glyph id the pack lacks (none does: every id is built) is drawn as the face's box.
    const placed = store.place([face], cp) ?? store.missing([face], cp)!;
    const first = !told.has(g.cluster);
    told.add(g.cluster);
    const glyph: Glyph = {
      ...placed.glyph,
      advance: g.xAdvance,
      text: !first
        ? ""
        : rtl
          ? [...clusterText(g.cluster)].reverse().join("")
          : clusterText(g.cluster),
      span: first ? spans.get(g.cluster)! : 0,
    };
    if (g.xOffset || g.yOffset) glyph.offset = [g.xOffset, g.yOffset];
    return { placed, glyph };
  });
}

/**
 * A right-to-left run's glyphs (visual order) with each cluster's glyphs in reverse, moved so
 * each is drawn where it was: HarfBuzz puts a Thaana vowel sign (a mark of no advance, placed by
 * its offset) before the letter it sits on, and a PDF reader takes the cluster's first glyph,
 * which carries its text, as where the letter starts. Its letter first, the sign after it.
 */
function baseFirst(glyphs: ShapedGlyph[]): ShapedGlyph[] {
  let pen = 0;
  const at = glyphs.map((g) => {
    const x = pen + g.xOffset;
    pen += g.xAdvance;
    return x;
  });
  const order: number[] = [];
  for (let i = 0; i < glyphs.length; ) {
    let end = i;
    while (end < glyphs.length && glyphs[end]!.cluster === glyphs[i]!.cluster) end++;
    for (let k = end - 1; k >= i; k--) order.push(k);
    i = end;
  }
  pen = 0;
  return order.map((i) => {
    const g = { ...glyphs[i]!, xOffset: at[i]! - pen };
    pen += g.xAdvance;
    return g;
  });
}
