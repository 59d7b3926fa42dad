// Attacks on the printed cards' text, as a shop's odd data would make them: names holding the
// Private Use code points where the Thai face keeps its own mark forms, names typed decomposed
// (NFD: macOS, some Korean and Vietnamese keyboards), names built to make the cut to the card's
// width expensive. With the real glyph packs (build/assets).
import { describe, expect, it } from "vitest";
import { faceChain, type Region, regionFor, type TextStyle } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { thaiForms } from "../../src/core/thai-marks";
import { ems, layoutCard, layoutSheet, printTexts } from "../../src/pages/print-layout";
import type { TextMark } from "../../src/pages/print-marks";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const ITEM = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };
const HOST = "qr.example.com";

/** The fonts a route loads for these items, then each text mark of their card as shaped. */
async function shapedCard(storeName: string, lang: "en" | "th" | "ko" | "vi" = "en") {
  const item = { ...ITEM, storeName };
  const store = (await loadPrintFonts(
    fsFetcher(),
    printTexts([item], { host: HOST, lang }),
  )) as GlyphStore;
  expect(store, "glyph packs missing: run node scripts/build-fonts.mjs").not.toBeNull();
  const measure = (s: string, style: TextStyle, region: Region) =>
    shapeText(store, s, style, region)?.width ?? s.length;
  const marks = layoutCard(item, { host: HOST, lang, measure }).marks.filter(
    (m): m is TextMark => m.kind === "text",
  );
  return marks.map((m) => ({
    mark: m,
    store,
    shaped: shapeText(store, m.text, m.style ?? "regular", m.region ?? "sc")!,
  }));
}

/** Each glyph of a shaped text with whether it is its face's .notdef box. */
function glyphs(store: GlyphStore, shaped: NonNullable<ReturnType<typeof shapeText>>) {
  return shaped.runs.flatMap((r) =>
    r.glyphs.map((g) => ({
      face: r.face,
      cp: g.cp,
      text: g.text,
      box: g.outline === store.face(r.face)!.notdef.glyph,
    })),
  );
}

describe("a name holding the Thai face's Private Use code points", () => {
  it("prints each as a box, never as the Thai mark form the face keeps there", async () => {
    const forms = thaiForms().map((f) => String.fromCodePoint(f.cp));
    // Every form the Thai face has, typed into a name beside Thai (so the Thai face leads).
    for (const form of forms) {
      const name = `ร้าน${form}`;
      const region = regionFor(name, "th");
      const store = (await loadPrintFonts(fsFetcher(), [
        { text: name, style: "bold", region },
      ])) as GlyphStore;
      const drawn = glyphs(store, shapeText(store, name, "bold", region)!);
      const typed = drawn.at(-1)!;
      expect(typed.cp, name).toBe(form.codePointAt(0));
      expect(typed.box, `U+${typed.cp.toString(16)} drawn as a Thai form`).toBe(true);
      // The real Thai before it keeps its glyphs.
      expect(drawn.slice(0, -1).every((g) => !g.box)).toBe(true);
    }
  });

  it("keeps the raised tone mark of a real ที่ beside a typed U+F748, each its own glyph", async () => {
    const [name] = (await shapedCard("ที่\uf748", "th")).filter((c) => c.mark.style === "bold");
    const drawn = glyphs(name!.store, name!.shaped);
    const at = drawn.filter((g) => g.cp === 0xf748);
    expect(at).toHaveLength(2);
    // The chosen form stands for mai ek (its text) and is a real glyph; the typed one is a box
    // standing for itself, so text extraction gives back U+F748, not a Thai letter.
    expect(at.find((g) => g.text === "\u0e48")?.box).toBe(false);
    expect(at.find((g) => g.text === undefined)?.box).toBe(true);
  });
});

describe("a name typed decomposed (NFD)", () => {
  it("prints Hangul jamo, Vietnamese and Latin typed decomposed with no box", async () => {
    const names = {
      ko: "\u1100\u1161\u1100\u1166 \u1109\u1165\u110b\u116e\u11af", // 가게 서울
      vi: "Pho\u031b\u0309 Ha\u0300 No\u0302\u0323i", // Phở Hà Nội
      en: "Cafe\u0301 Zu\u0308rich", // Café Zürich
    } as const;
    for (const [lang, name] of Object.entries(names) as [keyof typeof names, string][]) {
      for (const { mark, store, shaped } of await shapedCard(name, lang)) {
        const boxes = glyphs(store, shaped).filter((g) => g.box);
        expect(boxes, `${lang} ${mark.text}`).toEqual([]);
      }
    }
  });

  it("sets the composed name in the face its composed letters call for", async () => {
    // Decomposed, "Phở" has only Latin-1 letters and combining marks; composed it holds ở
    // (U+1EDF), Latin Extended Additional, which Noto Sans sets.
    const [name] = (await shapedCard("Pho\u031b\u0309", "en")).filter(
      (c) => c.mark.style === "bold",
    );
    expect(name!.mark.text).toBe("Phở");
    expect(name!.mark.region).toBe("latn");
    expect(name!.shaped.runs.map((r) => r.face)).toEqual(["latn-700"]);
  });

  it("asks the fonts for the composed text, the one the card draws", () => {
    const needs = printTexts([{ ...ITEM, storeName: "\u1100\u1161", label: "e\u0301" }], {
      host: HOST,
    });
    const texts = needs.map((n) => n.text);
    expect(texts).toContain("가…");
    expect(texts).toContain("é…");
    expect(texts.some((t) => t.includes("\u1100") || t.includes("\u0301"))).toBe(false);
  });
});

describe("the cut of a long name to the card's width", () => {
  /** A measure counting the characters it is asked to set, by text. */
  function counting() {
    const seen = new Map<string, number>();
    const measure = (s: string) => {
      seen.set("all", (seen.get("all") ?? 0) + [...s].length);
      return ems(s);
    };
    return { seen, measure };
  }

  it("measures a few prefixes of a name, not every one (200 zero-width characters first)", () => {
    // The longest a store name may be (200), most of it zero-width clusters before wide
    // letters: the name does not fit, and each cluster measured in turn cost ~18,000
    // characters shaped for one card.
    const storeName = `${"\u200b".repeat(170)}${"Ｗ".repeat(30)}`;
    const plain = counting();
    layoutCard({ ...ITEM }, { host: HOST, measure: plain.measure });
    const named = counting();
    const card = layoutCard({ ...ITEM, storeName }, { host: HOST, measure: named.measure });
    const name = card.marks.find((m): m is TextMark => m.kind === "text" && m.style === "bold")!;
    expect(name.text.endsWith("…")).toBe(true);
    const forName = named.seen.get("all")! - plain.seen.get("all")!;
    // The whole name once, then one prefix per halving of its 200 clusters.
    expect(forName).toBeLessThanOrEqual(200 * (1 + Math.ceil(Math.log2(200)) + 1));
  });

  it("keeps work per sheet of 12 such cards linear in their names", () => {
    const storeName = `${"\u200b".repeat(170)}${"Ｗ".repeat(30)}`;
    const items = Array.from({ length: 12 }, () => ({ ...ITEM, storeName, label: storeName }));
    const { seen, measure } = counting();
    layoutSheet(items, { host: HOST, measure }, { page: 1, pages: 1 });
    // Per card: the name and the label, each whole plus ~9 prefixes; the card's own words.
    expect(seen.get("all")!).toBeLessThanOrEqual(12 * (2 * 200 * 10 + 400));
  });

  it("still cuts at the longest prefix of whole clusters that fits", () => {
    const names = [
      "ร้านกาแฟสดและเบเกอรี่โฮมเมดริมทางสายเก่าของคุณยาย",
      "👨‍👩‍👧 Family Restaurant and Bakery of the Old Market Street",
      "\u200b".repeat(120) + "Ｗ".repeat(60),
      "渋谷店渋谷店渋谷店渋谷店渋谷店渋谷店渋谷店渋谷店渋谷店渋谷店",
      "Şişli Kahve Evi ve Pastanesi Nişantaşı Şubesi Abdi İpekçi Caddesi",
    ];
    const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
    for (const storeName of names) {
      const card = layoutCard({ ...ITEM, storeName }, { host: HOST, sizeMm: 40 });
      const name = card.marks.find((m): m is TextMark => m.kind === "text" && m.style === "bold")!;
      // The reference: the clusters one by one while the prefix and "…" fit.
      const inner = card.width - 6;
      let ref = "";
      for (const { segment } of segmenter.segment(storeName)) {
        if (ems(`${ref + segment}…`) * name.size > inner) break;
        ref += segment;
      }
      expect(name.text, storeName).toBe(`${ref}…`);
    }
  });
});

describe("the font chain for a keycap and digits", () => {
  it("sets # * and digits from the text faces, never the emoji face", async () => {
    for (const lang of ["en", "th"] as const) {
      const [name] = (await shapedCard("#1 *2 0️⃣", lang)).filter((c) => c.mark.style === "bold");
      for (const g of glyphs(name!.store, name!.shaped))
        if (/[#*0-9]/.test(String.fromCodePoint(g.cp))) {
          expect(g.face, `${lang} ${String.fromCodePoint(g.cp)}`).not.toMatch(/^emoji/);
          expect(g.box).toBe(false);
        }
    }
    expect(faceChain("bold", "th").at(-1)).toBe("emoji-700");
  });
});
