// Cards in every printed language, and store names in the scripts the packs now cover (Latin
// Extended, Vietnamese, Cyrillic, Thai, emoji): every character drawn from a face that has it,
// none as .notdef's box, with the real glyph packs (build/assets).
import { describe, expect, it } from "vitest";
import { faceChain, regionFor, type TextStyle } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { PRINT_LANGS } from "../../src/pages/print-constants";
import { layoutCard } from "../../src/pages/print-layout";
import type { TextMark } from "../../src/pages/print-marks";
import { shapeText } from "../../src/pages/print-text";
import { CARD_WORDS } from "../../src/pages/print-words";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const HOST = "qr.example.com/c";
const placeholders = (s: string) => [...s.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();

/** The faces `text` is drawn from, after checking no glyph is a face's .notdef. */
async function drawnFaces(text: string, style: TextStyle, lang: string): Promise<Set<string>> {
  const region = regionFor(text, lang);
  const store = (await loadPrintFonts(fsFetcher(), [{ text, style, region }])) as GlyphStore;
  expect(store, "glyph packs missing: run node scripts/build-fonts.mjs").not.toBeNull();
  const shaped = shapeText(store, text, style, region)!;
  for (const run of shaped.runs) {
    const notdef = store.face(run.face)!.notdef.glyph;
    for (const g of run.glyphs)
      expect(g.outline, `${lang} ${text}: U+${g.cp.toString(16)}`).not.toEqual(notdef);
  }
  expect(faceChain(style, region)).toEqual(expect.arrayContaining(shaped.runs.map((r) => r.face)));
  return new Set(shaped.runs.map((r) => r.face));
}

describe("the card words of every printed language", () => {
  it("has both words in every language, with the placeholders English has", () => {
    expect(Object.keys(CARD_WORDS)).toEqual([...PRINT_LANGS]);
    for (const lang of PRINT_LANGS) {
      const words = CARD_WORDS[lang];
      expect(words.cta.trim(), lang).not.toBe("");
      expect(placeholders(words.cta), lang).toEqual(placeholders(CARD_WORDS.en.cta));
      expect(placeholders(words.manual), lang).toEqual(placeholders(CARD_WORDS.en.manual));
    }
  });

  it("lays out a card in each language with its own words", () => {
    const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };
    for (const lang of PRINT_LANGS) {
      const texts = layoutCard(item, { host: "qr.example.com", lang })
        .marks.filter((m): m is TextMark => m.kind === "text")
        .map((m) => m.text);
      expect(texts, lang).toContain(CARD_WORDS[lang].cta);
      expect(texts, lang).toContain(CARD_WORDS[lang].manual.replace("{host}", HOST));
    }
  });

  it("draws every character of every language's words from a face that has it", async () => {
    for (const lang of PRINT_LANGS) {
      const { cta, manual } = CARD_WORDS[lang];
      const faces = await drawnFaces(`${cta} ${manual.replace("{host}", HOST)}`, "regular", lang);
      // Thai from the Thai face (the host from Simplified Chinese's Latin); the Latin and
      // Cyrillic languages wholly from Noto Sans.
      if (lang === "th") expect([...faces].sort(), lang).toEqual(["sc-400", "th-400"]);
      if (["es", "fr", "de", "pt", "it", "id", "vi", "tr", "ru"].includes(lang))
        expect([...faces], lang).toEqual(["latn-400"]);
    }
  });
});

describe("store names in the scripts the packs now cover", () => {
  it("prints Turkish, Vietnamese, Cyrillic and other Latin letters wholly in Noto Sans", async () => {
    // The CJK faces lack most of Latin Extended (ş ğ ı İ ł ő) and the Cyrillic beyond Russian.
    for (const name of [
      "Şişli İstanbul ğüıç Ğ",
      "Phở Hà Nội ư ơ ộ ế ặ ỹ Đ",
      "Кофейня «Москва» ёЁ",
      "Київ їжа Ґ є",
      "Łódź Gdańsk Żabka ő ű",
      "Ελληνικά",
    ])
      for (const lang of ["en", "tr", "ar"])
        expect([...(await drawnFaces(name, "bold", lang))], `${lang} ${name}`).toEqual([
          "latn-700",
        ]);
  });

  it("keeps a Traditional Chinese, Japanese or Korean card's Han forms beside Latin Extended", async () => {
    // Romanised names with macrons (Hepburn, pinyin) beside Han: the CJK faces have both, so
    // the name stays in the card's region instead of Noto Sans with Simplified Chinese Han.
    expect([...(await drawnFaces("Tōkyō 東京店", "bold", "ja"))]).toEqual(["jp-700"]);
    expect([...(await drawnFaces("Tōkyō 東京店", "bold", "zh-Hant"))]).toEqual(["tc-700"]);
    expect(regionFor("Ōsaka 大阪店", "ko")).toBe("kr");
    // A letter the CJK faces lack still prints, from Noto Sans.
    expect([...(await drawnFaces("Şişli 渋谷店", "bold", "ja"))].sort()).toEqual([
      "jp-700",
      "latn-700",
    ]);
    // Without Han, or on a card of another language, Latin Extended is Noto Sans as before.
    expect(regionFor("Tōkyō", "ja")).toBe("latn");
    expect(regionFor("Tōkyō 東京店", "en")).toBe("latn");
  });

  it("prints an English card's Latin-1 name in the CJK faces' Latin, as before", async () => {
    expect([...(await drawnFaces("Café Zürich Ñandú", "bold", "en"))]).toEqual(["sc-700"]);
  });

  it("composes a name typed with combining accents into the letters the faces have", () => {
    const item = {
      url: "https://qr.example.com/p/7K2M9QX4AB",
      displayCode: "7K2M9-QX4AB",
      storeName: "Cafe\u0301 Pho\u031b\u0309",
    };
    const name = layoutCard(item, { host: "qr.example.com" }).marks.find(
      (m): m is TextMark => m.kind === "text" && m.style === "bold",
    );
    expect(name?.text).toBe("Café Phở");
  });

  it("prints a Thai name's letters and marks from the Thai face", async () => {
    for (const name of ["ร้านกาแฟ", "น้ำ", "ที่นี่", "ปี่ ฟ้า ฝั่ง", "Café ร้าน 7"]) {
      const faces = await drawnFaces(name, "bold", "en");
      expect(faces.has("th-700"), name).toBe(true);
    }
  });

  it("prints single emoji from the emoji face, after the text faces", async () => {
    const faces = await drawnFaces("Café ☕ 😀 🍜 ✂ 🇯🇵", "bold", "en");
    expect([...faces].sort()).toEqual(["emoji-700", "sc-700"]);
    expect(faceChain("regular", "sc").at(-1)).toBe("emoji-400");
  });
});

describe("a store name too long for its card", () => {
  const segments = (s: string) =>
    [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].map((x) => x.segment);
  const cutName = (storeName: string) => {
    const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };
    const marks = layoutCard({ ...item, storeName }, { host: "qr.example.com" }).marks;
    return marks.find((m): m is TextMark => m.kind === "text" && m.style === "bold")!.text;
  };

  it("is cut between grapheme clusters: a Thai letter keeps its marks, an emoji sequence stays whole", () => {
    for (const name of [
      "ร้านกาแฟและเบเกอรี่ริมน้ำเจ้าพระยาที่นี่ที่เดียวในกรุงเทพมหานคร",
      "ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่ที่นี่",
      "น้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำน้ำ",
      "👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧",
    ]) {
      const cut = cutName(name);
      expect(cut.endsWith("…"), cut).toBe(true);
      const kept = segments(cut.slice(0, -1));
      expect(kept.length, cut).toBeGreaterThan(0);
      expect(kept, cut).toEqual(segments(name).slice(0, kept.length));
    }
  });
});

describe("the store name above the QR", () => {
  it("leaves room for descenders (Latin g, Thai sara u) above the QR's painted quiet zone", () => {
    const item = {
      url: "https://qr.example.com/p/7K2M9QX4AB",
      displayCode: "7K2M9-QX4AB",
      storeName: "คุณ ฎุ gpqy",
    };
    for (const sizeMm of [15, 40, 50, 80, 200]) {
      const marks = layoutCard(item, { host: "qr.example.com", sizeMm }).marks;
      const name = marks.find((m): m is TextMark => m.kind === "text" && m.style === "bold")!;
      const qr = marks.find((m) => m.kind === "qr")!;
      // Noto Sans Thai's sara u and uu reach 0.265 em below the baseline (0.448 set lower under
      // ฎ and ฏ), Latin's g about 0.24.
      expect(qr.y - name.y, `${sizeMm} mm`).toBeGreaterThanOrEqual(0.45 * name.size - 1e-9);
    }
  });
});
