// Store names in Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala,
// Khmer, Lao and Myanmar through the real Worker and glyph packs, as Devanagari's
// (print-devanagari.test.ts): each glyph the one HarfBuzz picks with the whole Noto Sans face
// (the packs shape with its tables only), at HarfBuzz's advances and offsets, no box, and the
// PDF giving the name back as written.
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import beng from "../../node_modules/@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf?inline";
import gujr from "../../node_modules/@expo-google-fonts/noto-sans-gujarati/700Bold/NotoSansGujarati_700Bold.ttf?inline";
import guru from "../../node_modules/@expo-google-fonts/noto-sans-gurmukhi/700Bold/NotoSansGurmukhi_700Bold.ttf?inline";
import knda from "../../node_modules/@expo-google-fonts/noto-sans-kannada/700Bold/NotoSansKannada_700Bold.ttf?inline";
import khmr from "../../node_modules/@expo-google-fonts/noto-sans-khmer/700Bold/NotoSansKhmer_700Bold.ttf?inline";
import laoo from "../../node_modules/@expo-google-fonts/noto-sans-lao/700Bold/NotoSansLao_700Bold.ttf?inline";
import mlym from "../../node_modules/@expo-google-fonts/noto-sans-malayalam/700Bold/NotoSansMalayalam_700Bold.ttf?inline";
import mymr from "../../node_modules/@expo-google-fonts/noto-sans-myanmar/700Bold/NotoSansMyanmar_700Bold.ttf?inline";
import orya from "../../node_modules/@expo-google-fonts/noto-sans-oriya/700Bold/NotoSansOriya_700Bold.ttf?inline";
import sinh from "../../node_modules/@expo-google-fonts/noto-sans-sinhala/700Bold/NotoSansSinhala_700Bold.ttf?inline";
import taml from "../../node_modules/@expo-google-fonts/noto-sans-tamil/700Bold/NotoSansTamil_700Bold.ttf?inline";
import telu from "../../node_modules/@expo-google-fonts/noto-sans-telugu/700Bold/NotoSansTelugu_700Bold.ttf?inline";
import { pdfTexts, readPdf } from "../pdf-reader";
import { loadHarfBuzz } from "../support/harfbuzz";
import { LONG_NAMES, SHOP_NAMES } from "../support/shaped-script-names";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";
import {
  fontBytes,
  glyphOutline,
  nameOutlines,
  nameUses,
  notdefPath,
  storeCard,
} from "./print-card-helpers";

const FONTS: Record<string, string> = {
  beng,
  guru,
  gujr,
  orya,
  taml,
  telu,
  knda,
  mlym,
  sinh,
  khmr,
  laoo,
  mymr,
};

/** HarfBuzz with the whole bold font of a script (outlines and all), as a desktop app would shape. */
const whole = (script: string) => loadHarfBuzz(wasm, fontBytes(FONTS[script]!));

describe.each(Object.entries(SHOP_NAMES))("store names in %s", (script, { family, words }) => {
  const face = `${script}-700`;

  it("print.svg draws each word with HarfBuzz's glyphs at its positions, none a box", async () => {
    const hb = await whole(script);
    const boxes = await Promise.all([face, "sc-700"].map(notdefPath));
    for (const word of words) {
      const shaped = hb.shape(word.normalize("NFC"));
      // The whole font has every glyph: none is .notdef (id 0).
      expect(
        shaped.map((g) => g.gid),
        word,
      ).not.toContain(0);
      const svg = await (await storeCard(word, "en", "print.svg")).text();
      const outlines = await Promise.all(shaped.map((g) => glyphOutline(face, g.gid)));
      const drawn = nameOutlines(svg);
      expect(drawn, word).toEqual(outlines.filter((path) => path !== ""));
      for (const box of boxes) expect(drawn, word).not.toContain(box);
      if (word.includes(" ")) continue; // a space's glyph (a <use> of no ink) is not drawn
      let pen = 0;
      const want = shaped
        .map((g, i) => {
          const at = { x: pen + g.xOffset, y: g.yOffset, ink: outlines[i] !== "" };
          pen += g.xAdvance;
          return at;
        })
        .filter((g) => g.ink)
        .map(({ x, y }) => ({ x, y }));
      expect(nameUses(svg), word).toEqual(want);
    }
  });

  it(`print.pdf embeds Noto Sans ${family} and gives each name back as written`, async () => {
    for (const word of words) {
      const bytes = new Uint8Array(await (await storeCard(word, "en", "print.pdf")).arrayBuffer());
      const { pages, fonts } = await readPdf(bytes);
      const [line] = pdfTexts(pages[0]!.content, fonts);
      expect(line!.text, word).toBe(word.normalize("NFC"));
      for (const run of line!.runs.filter((r) => r.text.trim()))
        expect(run.font, word).toMatch(new RegExp(`\\+NotoSans${family}-Bold$`));
    }
  });
});

describe("names mixing shaped scripts", () => {
  it("shapes each script's run with its own face, Latin and digits from the card's", async () => {
    const name = "মিষ্টি श्री Café தமிழ் 24";
    const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
    const { pages, fonts } = await readPdf(bytes);
    const [line] = pdfTexts(pages[0]!.content, fonts);
    expect(line!.text).toBe(name);
    const fontOf = (text: string) => line!.runs.find((r) => r.text.includes(text))?.font;
    expect(fontOf("মিষ্টি")).toMatch(/\+NotoSansBengali-Bold$/);
    expect(fontOf("श्री")).toMatch(/\+NotoSansDevanagari-Bold$/);
    expect(fontOf("தமிழ்")).toMatch(/\+NotoSansTamil-Bold$/);
    expect(fontOf("Café")).toMatch(/\+NotoSansSC-Bold$/);
    const svg = await (await storeCard(name, "en", "print.svg")).text();
    const drawn = nameOutlines(svg);
    for (const box of await Promise.all(
      ["beng-700", "deva-700", "taml-700", "sc-700"].map(notdefPath),
    ))
      expect(drawn).not.toContain(box);
  });

  it("a Bengali label is set in the regular face", async () => {
    const res = await storeCard("Dhaka Sweets", undefined, "print.pdf", { label: "মিষ্টি দোকান" });
    const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const label = pdfTexts(pages[0]!.content, fonts).find((l) => l.text === "মিষ্টি দোকান");
    expect(label?.runs.map((r) => r.font).join(" ")).toMatch(/\+NotoSansBengali-Regular/);
  });
});

describe("a long name with no spaces between words, cut to fit its card", () => {
  // Khmer and Myanmar write a line without spaces: the cut falls between HarfBuzz's clusters
  // (a Khmer subscript consonant stays under its base, a Myanmar stacked consonant with its own).
  for (const [script, name] of Object.entries(LONG_NAMES)) {
    it(`${script}: the kept part is a prefix of whole clusters, then an ellipsis`, async () => {
      const hb = await whole(script);
      const poster = await makePoster({ store_id: (await makeStore(name)).id });
      const res = await call(`/v1/posters/${poster.id}/print.pdf?size=3cm`, {
        key: await posterKey(),
      });
      expect(res.status).toBe(200);
      const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
      const text = pdfTexts(pages[0]!.content, fonts)[0]!.text;
      expect(text).toMatch(/…$/);
      const kept = text.slice(0, -1);
      expect(kept.length).toBeGreaterThan(0);
      expect(name.startsWith(kept)).toBe(true);
      const starts = new Set(hb.shape(name).map((g) => g.cluster));
      expect(starts.has(kept.length), `${kept}|${name.slice(kept.length)}`).toBe(true);
    });
  }
});
