// Red team of Devanagari print (core/harfbuzz.ts, core/shaped-runs.ts, store/print-shaping.ts):
// store names a hostile or careless shop could type, printed through the real Worker, glyph
// packs and HarfBuzz. Each prints (print.pdf and print.svg answer 200, the PDF readable) or the
// API refuses the name with a 400 JSON error; never a 500. A Plane 16 private-use character
// typed in a name (where the packs keep Devanagari glyphs by id) is drawn as a box, in a PDF as in
// an SVG, never as the glyph the pack keeps there; and a sheet of many different long names
// prints, every name outlined, within the print bounds.
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import deva from "../../node_modules/@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf?inline";
import { GLYPH_ID_BASE } from "../../src/core/glyph-pack";
import { pdfTexts, readPdf } from "../pdf-reader";
import { loadHarfBuzz } from "../support/harfbuzz";
import { call } from "./helpers";
import { posterKey } from "./poster-helpers";
import { nameOutlines, notdefPath } from "./print-card-helpers";

const pua = (gid: number) => String.fromCodePoint(GLYPH_ID_BASE + gid);

const NAMES: Record<string, string> = {
  "100 viramas after consonants": "क्".repeat(100),
  "lone vowel signs, virama and nukta first": "\u093f\u094d\u093c\u0902\u0903 दुकान",
  "a ZWJ storm after one consonant": `क${"\u200d".repeat(199)}`,
  "ZWJ and ZWNJ between every letter": "क\u200dष\u200cत्\u200dर".repeat(20).slice(0, 200),
  "Plane 16 private use among Devanagari": `क ${pua(56)}${pua(1)}${pua(300)} ${pua(0xfffd)} हिन्दी`,
  "Hebrew, Arabic and Devanagari mixed": "שלום नमस्ते مرحبا हिन्दी שוק ١٢٣ ०१२",
  "a vowel sign after a Hebrew letter": "ש\u093f\u094d ב\u0947",
  "bidi overrides around Devanagari": "\u202eनमस्ते\u202c \u2067हिन्दी\u2069 \u200fक",
  "Vedic and extended signs": "\u1cd0\u1cf2\ua8e0\ua8f2\u0951\u0952\ua830\u20f0 ॐ",
  "dandas and digits": "।॥०१२३४५६७८९ ॥ श्री ॥",
  "a 200-character name cut across conjuncts": "क्षत्रिय श्रृंगार अर्द्ध ".repeat(9).slice(0, 200),
};

async function storeNamed(name: string): Promise<string | null> {
  const res = await call("/v1/stores", { method: "POST", key: await posterKey(), json: { name } });
  if (res.status === 201) return ((await res.json()) as { id: string }).id;
  expect(res.status, await res.clone().text()).toBe(400);
  expect(typeof ((await res.json()) as { error: unknown }).error).toBe("string");
  return null;
}

async function posterAt(
  storeId: string,
  campaign?: string,
): Promise<{ id: string; campaign_id?: string }> {
  const json = { name: "Door", path: "/menu", store_id: storeId, campaign };
  const res = await call("/v1/posters", { method: "POST", key: await posterKey(), json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; campaign_id?: string };
}

describe("print files of stores with hostile Devanagari names", () => {
  for (const [what, name] of Object.entries(NAMES)) {
    it(`${what}: prints (PDF and SVG) or is refused with a 400`, async () => {
      const storeId = await storeNamed(name);
      if (storeId === null) return;
      const poster = await posterAt(storeId);
      const key = await posterKey();
      for (const lang of ["en", "he"]) {
        const pdf = await call(`/v1/posters/${poster.id}/print.pdf?size=5cm&lang=${lang}`, { key });
        expect(pdf.status, `${lang} pdf ${pdf.status === 200 ? "" : await pdf.text()}`).toBe(200);
        const { pages, fonts } = await readPdf(new Uint8Array(await pdf.arrayBuffer()));
        expect(pdfTexts(pages[0]!.content, fonts).length).toBeGreaterThanOrEqual(3);
        const svg = await call(`/v1/posters/${poster.id}/print.svg?lang=${lang}`, { key });
        expect(svg.status, `${lang} svg`).toBe(200);
        expect(await svg.text()).toMatch(/^(<\?xml|<svg)/);
      }
    });
  }

  it("draws typed Plane 16 characters as boxes in the SVG, never the Devanagari glyphs kept there", async () => {
    const storeId = await storeNamed(`क${pua(56)}${pua(56)}`);
    const poster = await posterAt(storeId!);
    const res = await call(`/v1/posters/${poster.id}/print.svg?size=5cm&lang=en`, {
      key: await posterKey(),
    });
    expect(res.status).toBe(200);
    const drawn = nameOutlines(await res.text());
    expect(drawn).toHaveLength(3);
    // क is glyph 56 in the bold face: the two typed U+100038 are not it, but a face's box.
    const boxes = await Promise.all(["deva-700", "sc-700"].map(notdefPath));
    expect(drawn[1]).not.toBe(drawn[0]);
    expect(boxes).toContain(drawn[1]);
    expect(boxes).toContain(drawn[2]);
  });

  it("gives typed Plane 16 characters back in the PDF from no Devanagari font", async () => {
    const storeId = await storeNamed(`क${pua(56)}`);
    const poster = await posterAt(storeId!);
    const res = await call(`/v1/posters/${poster.id}/print.pdf?size=5cm&lang=en`, {
      key: await posterKey(),
    });
    expect(res.status).toBe(200);
    const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const lines = pdfTexts(pages[0]!.content, fonts);
    const line = lines.find((l) => l.text.startsWith("क"));
    expect(line, lines.map((l) => l.text).join(" | ")).toBeDefined();
    const devanagari = line!.runs.filter((r) => /Devanagari/.test(r.font));
    expect(devanagari.map((r) => r.text).join("")).toBe("क");
  });

  it("a sheet of 60 different 200-character names prints, each name outlined", async () => {
    const campaign = `deva-sheet-${crypto.randomUUID().slice(0, 8)}`;
    const letters = [..."कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"];
    let campaignId = "";
    for (let i = 0; i < 60; i++) {
      const a = letters[i % letters.length]!;
      const b = letters[(i * 7 + 3) % letters.length]!;
      const name = `${a}्${b}ि ${b}र्${a}ं ${i} `.repeat(20).slice(0, 200);
      campaignId = (await posterAt((await storeNamed(name))!, campaign)).campaign_id!;
    }
    const key = await posterKey();
    for (const file of ["print-sheet.pdf", "print-sheet.svg"]) {
      const res = await call(`/v1/posters/${file}?campaign_id=${campaignId}`, { key });
      // Far within the bounds (each name's glyphs are few and shared): the file, outlined.
      expect(res.status, file).toBe(200);
      if (file.endsWith(".svg")) expect(res.headers.get("x-print-fonts")).toBe("outlines");
      else expect((await readPdf(new Uint8Array(await res.arrayBuffer()))).pages).toHaveLength(5); // 60 cards, 12 a sheet
    }
  });
});

describe("one HarfBuzz instance per isolate, shaping name after name", () => {
  it("does not grow: 2,000 more different 200-character names shaped in the memory 50 took", async () => {
    const bin = atob(deva.slice(deva.indexOf(",") + 1));
    const font = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const hb = await loadHarfBuzz(wasm, font);
    const letters = [..."कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"];
    const name = (i: number) => {
      const a = letters[i % letters.length]!;
      const b = letters[Math.floor(i / letters.length) % letters.length]!;
      return `${a}्${b}ि ${b}र्${a}ं क्ष ${i} `.repeat(20).slice(0, 200);
    };
    for (let i = 0; i < 50; i++) hb.shape(name(i));
    const warm = hb.memoryBytes();
    let glyphs = 0;
    for (let i = 50; i < 2050; i++) glyphs += hb.shape(name(i)).length;
    expect(glyphs).toBeGreaterThan(2000 * 100);
    expect(hb.memoryBytes()).toBe(warm);
  });
});
