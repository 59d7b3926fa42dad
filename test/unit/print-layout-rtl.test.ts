// The manual-entry line of a right-to-left card: the host must come out as one left-to-right
// run however it starts. A host of digits (an IP, a port, as under `wrangler dev`) is the
// case the line's LRMs are there for: without them its digits count as right to left around
// the "/c" (UAX #9 N1) and print as "c/127.0.0.1:8787".
import { describe, expect, it, vi } from "vitest";
import { visualLine } from "../../src/core/bidi";
import { faceChain, regionFor } from "../../src/core/glyph-pack";
import { layoutCard, printTexts } from "../../src/pages/print-layout";
import type { TextMark } from "../../src/pages/print-marks";
import { countingFetcher } from "../print-fonts-fs";

const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };

/** The manual-entry line of a card, as drawn (left to right), without the marks that draw nothing. */
function drawnManual(host: string, lang: "he" | "ar"): string {
  const marks = layoutCard(item, { host, lang }).marks;
  const manual = marks.find((m): m is TextMark => m.kind === "text" && m.text.includes(host));
  expect(manual, host).toBeDefined();
  return visualLine(manual!.text)
    .chars.map((c) => c.text)
    .join("")
    .replace(/[\u200e\u200f]/g, "");
}

describe("the manual-entry line of Hebrew and Arabic cards", () => {
  it("draws the host left to right at the line's left end, whatever it starts with", () => {
    for (const host of ["qr.example.com", "127.0.0.1:8787", "8787.example.com", "localhost:8787"])
      for (const lang of ["he", "ar"] as const) {
        const line = drawnManual(host, lang);
        expect(line.startsWith(`${host}/c `), `${lang} ${host}: ${line}`).toBe(true);
      }
  });

  it("needs the marks: the same words without them swap an IP host's parts", () => {
    // The check above can fail: this is the line it guards against.
    const bare = visualLine("אין מצלמה? הזינו את הקוד בכתובת 127.0.0.1:8787/c")
      .chars.map((c) => c.text)
      .join("");
    expect(bare.startsWith("127.0.0.1:8787/c ")).toBe(false);
  });

  it("keeps the words in the Hebrew and Arabic of each language", () => {
    expect(drawnManual("qr.example.com", "he")).toBe(
      `qr.example.com/c ${[..."אין מצלמה? הזינו את הקוד בכתובת"].reverse().join("")}`,
    );
    const ar = layoutCard(item, { host: "qr.example.com", lang: "ar" }).marks;
    expect(ar.some((m) => m.kind === "text" && m.text === "امسح الرمز بكاميرا هاتفك")).toBe(true);
  });

  it("tries the card language's face first, then the other right-to-left one and Thai, then the CJK faces, emoji last", () => {
    expect(faceChain("regular", regionFor("امسح الرمز", "ar"))).toEqual([
      "ar-400",
      "he-400",
      "th-400",
      "armn-400",
      "geor-400",
      "ethi-400",
      "sc-400",
      "jp-400",
      "tc-400",
      "kr-400",
      "latn-400",
      "emoji-400",
    ]);
    expect(faceChain("bold", regionFor("Café Zürich", "he")).slice(0, 3)).toEqual([
      "he-700",
      "ar-700",
      "th-700",
    ]);
    // Kana and Hangul still pick their region's face, whatever the card's language.
    expect(regionFor("しぶや", "ar")).toBe("jp");
    expect(regionFor("서울", "he")).toBe("kr");
  });

  it("loads no CJK block for an Arabic card's Arabic letters", async () => {
    // The CJK faces all have the block of the Arabic presentation forms: with them first, each
    // Arabic card fetched Noto Sans SC's U+FExx block to find nothing in it.
    const fetched: string[] = [];
    const texts = printTexts([{ ...item, storeName: "مخبز السوق" }], {
      host: "qr.test",
      lang: "ar",
    });
    // The loader keeps faces and blocks per isolate, and unit files share one (isolate: false):
    // a fresh copy of it, so a file that printed Arabic before cannot hide the fetches.
    vi.resetModules();
    const fresh = await import("../../src/store/print-fonts");
    expect(await fresh.loadPrintFonts(countingFetcher(fetched), texts)).not.toBeNull();
    expect(
      fetched.some((path) => /\/ar-400\/fe\.bin$/.test(path)),
      fetched.join(" "),
    ).toBe(true);
    expect(fetched.filter((path) => /\/(sc|tc|jp|kr)-\d00\/fe\.bin$/.test(path))).toEqual([]);
  });
});
