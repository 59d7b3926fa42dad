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

  it("leaves a character laid out right to left, and other scripts, unshaped", () => {
    expect(shapedRuns([{ cp: 0x995, text: "ক", at: 0, rtl: true }])).toEqual([
      { cp: 0x995, text: "ক", at: 0, rtl: true },
    ]);
    expect(shapedScriptOf("A")).toBeNull();
    expect(shapedScriptOf("ལ")).toBeNull(); // Tibetan: no face
    expect(shapedFace("regular", "mymr")).toBe("mymr-400");
  });
});
