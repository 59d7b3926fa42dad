// A shaped run without the marks of other scripts its face lacks (src/core/shaped-marks.ts):
// shaped as if they were not there, each glyph's cluster an index into the run as written.
import { describe, expect, it } from "vitest";
import type { ShapedGlyph } from "../../src/core/harfbuzz";
import { shapeRun } from "../../src/core/shaped-marks";

/** A stand-in shaper: one glyph a UTF-16 unit, id 0 for what `has` lacks, 500 units wide. */
const shaperOf = (has: string) => {
  const texts: string[] = [];
  const shape = (text: string): ShapedGlyph[] => {
    texts.push(text);
    return [...text].map((ch, i) => ({
      gid: has.includes(ch) ? ch.codePointAt(0)! : 0,
      cluster: i,
      xAdvance: 500,
      xOffset: 0,
      yOffset: 0,
    }));
  };
  return { shape, texts };
};

describe("shapeRun", () => {
  it("leaves out an Arabic mark the Syriac face lacks, its letter's cluster standing for it", () => {
    const { shape, texts } = shaperOf("ܫܠܡܐ\u064e");
    const glyphs = shapeRun(shape, "ܫ\u0656\u064eܠܡܐ", "syrc");
    expect(texts.at(-1)).toBe("ܫ\u064eܠܡܐ"); // the fatha the face has stays
    expect(glyphs.map((g) => g.gid)).not.toContain(0);
    expect(glyphs.map((g) => g.cluster)).toEqual([0, 2, 3, 4, 5]);
  });

  it("shapes a run with no lacked mark as it is, and keeps a letter the face lacks (its box)", () => {
    const { shape, texts } = shaperOf("ܫܠ\u064e");
    expect(shapeRun(shape, "ܫ\u064eܠ", "syrc").map((g) => g.cluster)).toEqual([0, 1, 2]);
    expect(texts.at(-1)).toBe("ܫ\u064eܠ");
    // U+0860 (Syriac Supplement) is a letter of the run's script: never left out.
    expect(shapeRun(shape, "ܫ\u0860", "syrc").map((g) => g.gid)).toContain(0);
    // Nor is a mark of the run's own script the face lacks (a virama before a newer letter).
    expect(shapeRun(shaperOf("క").shape, "క\u0c4d", "telu").map((g) => g.gid)).toContain(0);
  });

  it("asks a face once whether it lacks a mark, however many runs and cards carry it", () => {
    // ~90 distinct harakat and points fit in a name, measured ~10 times a card: asking each
    // time would shape a million single marks for a 1,200-card file.
    const { shape, texts } = shaperOf("ܫܠ");
    const name = "ܫ\u0656\u0657\u0658ܠ\u0656";
    for (let i = 0; i < 50; i++) shapeRun(shape, name, "syrc");
    expect(texts.filter((t) => t.length === 1)).toEqual(["\u0656", "\u0657", "\u0658"]);
    expect(texts.filter((t) => t === "ܫܠ")).toHaveLength(50);
  });

  it("puts a lacked mark at the run's start into the first cluster, and an all-lacked run to nothing", () => {
    const { shape } = shaperOf("ދ");
    expect(shapeRun(shape, "\u064eދ", "thaa")).toEqual([
      { gid: "ދ".codePointAt(0), cluster: 0, xAdvance: 500, xOffset: 0, yOffset: 0 },
    ]);
    expect(shapeRun(shape, "\u064e", "thaa")).toEqual([]);
  });
});
