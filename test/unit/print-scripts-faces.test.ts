// Which face sets Armenian, Georgian and Ethiopic letters, and what printing them fetches: the
// Armenian face shares Hebrew's block (U+05xx) and the presentation forms' (U+FBxx), the
// Georgian and Ethiopic ones Myanmar's, Cherokee's and Tifinagh's; a name in another script must
// not fetch their blocks in vain, and a name in theirs fetches only its own blocks (and the CJK
// face's block 0 for the spaces and digits).
import { describe, expect, it, vi } from "vitest";
import { faceChain, regionFor } from "../../src/core/glyph-pack";
import { printTexts } from "../../src/pages/print-layout";
import { countingFetcher } from "../print-fonts-fs";

const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };

/** The block files a fresh isolate fetches to print one card of `storeName`. */
async function blocksFetched(storeName: string, lang?: "he" | "ar" | "en"): Promise<string[]> {
  const fetched: string[] = [];
  const texts = printTexts([{ ...item, storeName }], { host: "qr.test", lang });
  // Unit files share one isolate: a fresh loader, so blocks cached by another file hide nothing.
  vi.resetModules();
  const fresh = await import("../../src/store/print-fonts");
  expect(await fresh.loadPrintFonts(countingFetcher(fetched), texts)).not.toBeNull();
  return fetched.filter((p) => p.endsWith(".bin")).map((p) => p.split("/").slice(-2).join("/"));
}

describe("Armenian, Georgian and Ethiopic faces", () => {
  it("leads with the script's face when a name holds its letters, whatever the card's language", () => {
    expect(regionFor("Երևան Սրճարան", "en")).toBe("armn");
    expect(regionFor("Café Երևան", "es")).toBe("armn");
    expect(regionFor("თბილისი", "ar")).toBe("geor");
    expect(regionFor("ᲗᲑᲘᲚᲘᲡᲘ", "ru")).toBe("geor");
    expect(regionFor("አዲስ ቡና", "he")).toBe("ethi");
    expect(faceChain("bold", "geor").slice(0, 7)).toEqual([
      "geor-700",
      "he-700",
      "ar-700",
      "th-700",
      "armn-700",
      "ethi-700",
      "sc-700",
    ]);
    // Kana, Hangul and Thai keep their faces first; the scripts' faces stay in the chain.
    expect(regionFor("しぶや Երևան", "en")).toBe("jp");
    expect(faceChain("bold", "jp")).toContain("armn-700");
  });

  it("fetches only the script's own blocks for a name in it", async () => {
    const armenian = await blocksFetched("Երևան Սրճարան");
    expect(armenian).toContain("armn-700/5.bin");
    expect(armenian.filter((b) => b.endsWith("/5.bin"))).toEqual(["armn-700/5.bin"]);
    const georgian = await blocksFetched("თბილისი ᲙᲐᲤᲔ");
    expect(georgian).toEqual(expect.arrayContaining(["geor-700/10.bin", "geor-700/1c.bin"]));
    const ethiopic = await blocksFetched("አዲስ ቡና");
    expect(ethiopic).toContain("ethi-700/12.bin");
    for (const blocks of [armenian, georgian, ethiopic])
      expect(
        blocks.filter((b) => /^(he|ar|th)-/.test(b)),
        blocks.join(" "),
      ).toEqual([]);
  });

  it("fetches no Armenian, Georgian or Ethiopic block for Hebrew, Arabic or Latin names", async () => {
    for (const [name, lang] of [
      ["מאפיית השוק", "he"],
      ["מאפיית השוק", "en"],
      ["مخبز السوق ﷲ", "ar"],
      ["Café Zürich – “Bar”", "en"],
    ] as const) {
      const blocks = await blocksFetched(name, lang);
      expect(blocks.length, name).toBeGreaterThan(0);
      expect(
        blocks.filter((b) => /^(armn|geor|ethi)-/.test(b)),
        `${name}: ${blocks.join(" ")}`,
      ).toEqual([]);
    }
  });
});
