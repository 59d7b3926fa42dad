// The print files' `text_lang`: the language the names are written in, given to HarfBuzz so the
// font's forms for it apply (Noto Sans Devanagari's `locl`: Marathi ल and श, Nepali झ and
// ५ ८ ९), without losing the forms every language shares: the font's Marathi and Nepali language
// systems leave out `blwf`, so shaped as they are `महाराष्ट्र` prints ट्‌ and र with a visible
// virama (scripts/shaped-faces.mjs withDefaultFeatures gives it back).
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import deva from "../../node_modules/@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf?inline";
import { pdfTexts, readPdf } from "../pdf-reader";
import { loadHarfBuzz } from "../support/harfbuzz";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";
import { fontBytes, glyphOutline, nameOutlines } from "./print-card-helpers";

/** A card of a new store named `name`, with `text_lang` when given. */
async function card(name: string, file: "print.svg" | "print.pdf", textLang?: string) {
  const poster = await makePoster({ store_id: (await makeStore(name)).id });
  const lang = textLang === undefined ? "" : `&text_lang=${encodeURIComponent(textLang)}`;
  const res = await call(`/v1/posters/${poster.id}/${file}?size=5cm${lang}`, {
    key: await posterKey(),
  });
  expect(res.status, `${name} ${textLang}`).toBe(200);
  return res;
}

const drawnIn = async (name: string, textLang?: string) =>
  nameOutlines(await (await card(name, "print.svg", textLang)).text());

const outlinesOf = (gids: number[]) => Promise.all(gids.map((g) => glyphOutline("deva-700", g)));
const ink = (paths: string[]) => paths.filter((p) => p !== "");

describe("text_lang: a language's own letter forms", () => {
  it("Marathi: ल and श take their Marathi forms, as the whole font shapes them in Marathi", async () => {
    const hb = await loadHarfBuzz(wasm, fontBytes(deva));
    for (const word of ["लाल", "शाळा", "पुणे शाळा"]) {
      const marathi = hb.shape(word, "mr").map((g) => g.gid);
      const hindi = hb.shape(word).map((g) => g.gid);
      expect(marathi, word).not.toEqual(hindi); // the font's locl changes this word
      const drawn = await drawnIn(word, "mr");
      expect(drawn, word).toEqual(ink(await outlinesOf(marathi)));
      expect(await drawnIn(word), word).toEqual(ink(await outlinesOf(hindi)));
    }
  });

  it("Nepali: झ and the digits ५ ८ ९ take their Nepali forms", async () => {
    const hb = await loadHarfBuzz(wasm, fontBytes(deva));
    const word = "झुमका ५८९";
    const nepali = hb.shape(word, "ne").map((g) => g.gid);
    expect(nepali).not.toEqual(hb.shape(word).map((g) => g.gid));
    expect(await drawnIn(word, "ne")).toEqual(ink(await outlinesOf(nepali)));
    // Marathi has no form of its own for these: as Hindi.
    expect(await drawnIn(word, "mr")).toEqual(await drawnIn(word));
  });

  it("keeps the ra below ट in Marathi and Nepali (the font's language systems lack blwf)", async () => {
    const hb = await loadHarfBuzz(wasm, fontBytes(deva));
    const virama = hb.shape("क्")[1]!.gid;
    for (const word of ["महाराष्ट्र", "ट्रेडर्स"]) {
      // The font as published draws a visible virama in Marathi: what a print would have had.
      expect(
        hb.shape(word, "mr").map((g) => g.gid),
        word,
      ).toContain(virama);
      const viramaOutline = await glyphOutline("deva-700", virama);
      for (const lang of ["mr", "ne"]) {
        const drawn = await drawnIn(word, lang);
        expect(drawn, `${word} ${lang}`).not.toContain(viramaOutline);
        expect(drawn, `${word} ${lang}`).toEqual(await drawnIn(word));
      }
    }
  });

  it("print.pdf in Marathi gives the name back as written", async () => {
    const name = "पुणे शाळा लाल";
    const bytes = new Uint8Array(await (await card(name, "print.pdf", "mr")).arrayBuffer());
    const { pages, fonts } = await readPdf(bytes);
    expect(pdfTexts(pages[0]!.content, fonts)[0]!.text).toBe(name);
  });

  it("refuses a text_lang that is no language tag with a 400 naming it", async () => {
    const poster = await makePoster({ store_id: (await makeStore("लाल")).id });
    for (const bad of ["m", "mr<b>", "mr_IN", "-mr", `mr-${"x".repeat(40)}`, "मराठी"]) {
      for (const file of ["print.svg", "print.pdf"]) {
        const res = await call(
          `/v1/posters/${poster.id}/${file}?text_lang=${encodeURIComponent(bad)}`,
          { key: await posterKey() },
        );
        expect(res.status, `${bad} ${file}`).toBe(400);
        const body = (await res.json()) as { error: string; message: string };
        expect(body.error).toBe("validation_failed");
        expect(body.message, bad).toContain("text_lang");
      }
    }
  });
});
