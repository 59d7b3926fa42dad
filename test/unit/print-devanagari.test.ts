// Devanagari shaped by HarfBuzz in the print kit, from the built glyph packs (Node; the workerd
// test, test/integration/print-devanagari.test.ts, prints cards through the Worker): where the
// PDF's text operators put each glyph, read back as a PDF reader moves its pen, against where
// HarfBuzz says, GPOS offsets (x and y) included.
import { beforeEach, describe, expect, it } from "vitest";
import { GLYPH_ID_BASE } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { FontSubsets, shapeText, type TextRun } from "../../src/pages/print-text";
import { forgetPrintFonts, loadPrintFonts } from "../../src/store/print-fonts";
import { forgetShapers } from "../../src/store/print-shaping";
import { fsFetcher } from "../print-fonts-fs";

async function fonts(text: string): Promise<GlyphStore> {
  const store = await loadPrintFonts(fsFetcher(), [{ text, style: "bold", region: "sc" }]);
  if (!store) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
  return store;
}

/**
 * Where `show`'s operators draw each glyph (in font units of a 1000-unit em at size 1000), as a
 * PDF reader does: a TJ number n moves the pen by -n/1000 em, a glyph by its /W width, `Ts` sets
 * the rise.
 */
function drawnAt(ops: string, widths: number[]): { id: number; x: number; y: number }[] {
  const out: { id: number; x: number; y: number }[] = [];
  let x = 0;
  let rise = 0;
  for (const m of ops.matchAll(/(-?[\d.]+) (Ts)|<([0-9a-f]+)>|(-?[\d.]+)/g)) {
    const [num, op, hex] = [m[1] ?? m[4], m[2], m[3]];
    if (op === "Ts") rise = Number(num);
    else if (hex !== undefined)
      for (const h of hex.match(/.{4}/g)!) {
        const id = Number.parseInt(h, 16);
        out.push({ id, x, y: rise });
        x += widths[id]!;
      }
    else x -= Number(num);
  }
  return out;
}

/** Where each glyph of a run goes: the pen by advances, each glyph moved by its offset. */
function expected(run: TextRun): { x: number; y: number }[] {
  let pen = 0;
  return run.glyphs.map((g) => {
    const [dx, dy] = g.offset ?? [0, 0];
    const at = { x: pen + dx, y: dy };
    pen += g.advance;
    return at;
  });
}

/** fsFetcher, recording the paths asked for. */
function recording(): { fetcher: Fetcher; paths: string[] } {
  const inner = fsFetcher();
  const paths: string[] = [];
  const fetcher = {
    fetch: (input: RequestInfo | URL) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return inner.fetch(input as Request);
    },
  } as unknown as Fetcher;
  return { fetcher, paths };
}

describe("the shaping fonts, loaded only for Devanagari", () => {
  // Nothing kept from another file (the unit tests share one context).
  beforeEach(() => {
    forgetPrintFonts();
    forgetShapers();
  });

  it("a file with no Devanagari fetches no shaping font and no Devanagari glyph", async () => {
    const { fetcher, paths } = recording();
    await loadPrintFonts(fetcher, [
      { text: "Shibuya 渋谷店 ร้านกาแฟ مخبز Երևան", style: "bold", region: "sc" },
    ]);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => /deva|shaping/.test(p))).toEqual([]);
  });

  it("a file with Devanagari fetches its weight's shaping font, face and glyph blocks", async () => {
    const { fetcher, paths } = recording();
    const store = await loadPrintFonts(fetcher, [
      { text: "श्री गणेश", style: "bold", region: "sc" },
      { text: "हिन्दी", style: "regular", region: "sc" },
    ]);
    expect(store!.shaper("deva-700")).toBeDefined();
    expect(store!.shaper("deva-400")).toBeDefined();
    const deva = paths.filter((p) => p.includes("/deva-"));
    expect(deva.some((p) => p.endsWith("deva-700/face.json"))).toBe(true);
    expect(deva.some((p) => /deva-700\/100[0-4]\.bin$/.test(p))).toBe(true);
    // Each weight's shaping font fetched once, then kept for the isolate.
    for (const face of ["deva-700", "deva-400"])
      expect(paths.filter((p) => p.endsWith(`${face}/shaping.bin`))).toHaveLength(1);
    const again = recording();
    await loadPrintFonts(again.fetcher, [{ text: "श्री", style: "bold", region: "sc" }]);
    expect(again.paths.filter((p) => p.endsWith("shaping.bin"))).toEqual([]);
  });
});

describe("Devanagari in the PDF text operators", () => {
  it("puts every glyph where HarfBuzz places it, marks moved by their GPOS x offsets", async () => {
    for (const name of ["क्कू", "रूं", "कृष्ण", "अर्द्ध", "हिन्दी किराना", "श्री गणेश स्वीट्स"]) {
      const store = await fonts(name);
      const shaped = shapeText(store, name, "bold", "sc")!;
      const subsets = new FontSubsets(store);
      const runs = shaped.runs.filter((r) => r.face === "deva-700");
      expect(runs.length, name).toBeGreaterThan(0);
      // Size 1000 and a 1000-unit em: text space units are font units.
      const shows = runs.map((run) => subsets.show(run, 1000));
      const widths = subsets.fonts()[0]!.widths;
      runs.forEach((run, i) => {
        const drawn = drawnAt(shows[i]!, widths);
        expect(
          drawn.map(({ x, y }) => ({ x, y })),
          name,
        ).toEqual(expected(run));
      });
      if (name === "क्कू") expect(runs[0]!.glyphs[2]!.offset).toEqual([-234, 0]);
    }
  });

  it("raises a glyph by its y offset with Ts, and puts the rise back after it", async () => {
    const store = await fonts("क्कू");
    const [run] = shapeText(store, "क्कू", "bold", "sc")!.runs;
    // No word of the spike's has a GPOS y offset; a mark of Vedic text would: one given here.
    const moved: TextRun = {
      face: run!.face,
      glyphs: run!.glyphs.map((g, i) => (i === 1 ? { ...g, offset: [15, 120] } : g)),
    };
    const subsets = new FontSubsets(store);
    const show = subsets.show(moved, 1000);
    // Raised for the second glyph only: the third is drawn on the baseline again.
    expect(show).toMatch(/^\[<[0-9a-f]{4}>\] TJ 120 Ts \[-15 <[0-9a-f]{4}>\] TJ 0 Ts \[/);
    const drawn = drawnAt(show, subsets.fonts()[0]!.widths);
    expect(drawn.map(({ x, y }) => ({ x, y }))).toEqual(expected(moved));
  });

  it("maps each cluster's text to its first glyph, which spans the cluster, the rest to nothing", async () => {
    const store = await fonts("हिन्दी");
    const [run] = shapeText(store, "हिन्दी", "bold", "sc")!.runs;
    // Clusters हि (the i sign drawn first), न् (its half form), दी.
    expect(run!.glyphs.map((g) => g.text)).toEqual(["हि", "", "न्", "दी", ""]);
    const subsets = new FontSubsets(store);
    subsets.show(run!, 10);
    const font = subsets.fonts()[0]!;
    // Ids in order of first use, after .notdef: the i sign carries "हि" and spans both glyphs.
    expect(font.unicode.slice(1)).toEqual(["हि", "", "न्", "दी", ""]);
    const [i, ha] = run!.glyphs;
    expect(font.widths[1]).toBe(i!.advance + ha!.advance);
    expect(font.widths[2]).toBe(0);
    // The glyphs are the pack's by id (Plane 16), not characters.
    for (const g of run!.glyphs) expect(g.cp).toBeGreaterThanOrEqual(GLYPH_ID_BASE);
  });
});
