// A line split into the runs HarfBuzz shapes, one script each (core/shaped-runs.ts), and the
// face each run is set in (core/shaped-scripts.ts).
import { describe, expect, it } from "vitest";
import { shapedRuns } from "../../src/core/shaped-runs";
import { shapedFace, shapedScriptOf } from "../../src/core/shaped-scripts";

const chars = (text: string) =>
  [...text].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at, rtl: false }));

describe("shaped runs", () => {
  it("splits a line by script, each run shaped with its own face", () => {
    const items = shapedRuns(chars("মিষ্টি श्री Café தமிழ்ກາເຟ"));
    const runs = items.filter((i) => "run" in i);
    expect(runs.map((r) => [r.script, r.run])).toEqual([
      ["beng", "মিষ্টি"],
      ["deva", "श्री"],
      ["taml", "தமிழ்"],
      ["laoo", "ກາເຟ"],
    ]);
    // Latin and spaces pass through, one by one.
    const passed = items.flatMap((i) => ("run" in i ? [] : [i.text]));
    expect(passed.join("")).toBe("  Café ");
    expect(runs.map((r) => shapedFace("bold", r.script))).toEqual([
      "beng-700",
      "deva-700",
      "taml-700",
      "laoo-700",
    ]);
  });

  it("keeps a danda, shared by the Indic scripts, in the run it follows", () => {
    expect(shapedScriptOf("।", "beng")).toBe("beng");
    expect(shapedScriptOf("।")).toBe("deva");
    const runs = shapedRuns(chars("চা।")).filter((i) => "run" in i);
    expect(runs.map((r) => [r.script, r.run])).toEqual([["beng", "চা।"]]);
  });

  it("gives a character laid out against its script's direction a run of its own, in the line's direction", () => {
    // A Devanagari vowel sign at the start of a Hebrew line, a Syriac one after Latin: each is
    // shaped alone with its script's face (the only one with its glyph), not joined to a run.
    const hebrew = shapedRuns([
      { cp: 0x93e, text: "\u093e", at: 0, rtl: true },
      { cp: 0x93f, text: "\u093f", at: 1, rtl: true },
    ]);
    expect(hebrew).toEqual([
      {
        run: "\u093e",
        script: "deva",
        rtl: true,
        chars: [{ cp: 0x93e, text: "\u093e", at: 0, rtl: true }],
      },
      {
        run: "\u093f",
        script: "deva",
        rtl: true,
        chars: [{ cp: 0x93f, text: "\u093f", at: 1, rtl: true }],
      },
    ]);
    const latin = shapedRuns(chars("e\u0730ܫ").map((c, i) => ({ ...c, rtl: i === 2 })));
    expect(latin.map((i) => ("run" in i ? [i.script, i.run, i.rtl] : i.text))).toEqual([
      "e",
      ["syrc", "\u0730", false],
      ["syrc", "ܫ", true],
    ]);
    expect(shapedScriptOf("A")).toBeNull();
    expect(shapedScriptOf("ᠮ")).toBeNull(); // Mongolian: no face
    expect(shapedFace("regular", "mymr")).toBe("mymr-400");
  });

  it("gathers a right-to-left run (drawn reversed) back into its text as written", () => {
    // "ܫܠܡܐ ދިވެހި" as visualLine lays it out: right to left, so reversed.
    const written = "ܫܠܡܐ ދިވެހި";
    const visual = [...written]
      .map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at, rtl: true }))
      .reverse();
    const runs = shapedRuns(visual).filter((i) => "run" in i);
    expect(runs.map((r) => [r.script, r.run])).toEqual([
      ["thaa", "ދިވެހި"],
      ["syrc", "ܫܠܡܐ"],
    ]);
    expect(shapedFace("bold", "syrc")).toBe("syrc-700");
    expect(shapedFace("bold", "nkoo")).toBe("nkoo-400"); // N'Ko's face has one weight
    expect(shapedFace("bold", "tibt")).toBe("tibt-700");
  });

  it("leaves the Arabic comma, harakat and digits Thaana and Syriac share to Arabic", () => {
    for (const ch of ["\u060c", "\u064e", "\u0661", "\u061f"])
      expect(shapedScriptOf(ch), ch).toBeNull();
    expect(shapedScriptOf("ދ")).toBe("thaa");
    expect(shapedScriptOf("ߒ")).toBe("nkoo");
    expect(shapedScriptOf("ལ")).toBe("tibt");
  });
});
