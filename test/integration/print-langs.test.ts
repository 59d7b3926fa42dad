// Cards in the Latin, Cyrillic and Thai languages (`lang=es` … `lang=ru`, `lang=th`) and store
// names in Turkish, Thai and emoji, through the real Worker and packs: each card's words in its
// own language and face, every glyph a real one (none the .notdef box of any face).
import { describe, expect, it } from "vitest";
import { CARD_WORDS } from "../../src/pages/print-words";
import { pdfTexts, readPdf } from "../pdf-reader";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";
import { notdefPath } from "./print-card-helpers";

const LATIN_LANGS = ["es", "fr", "de", "pt", "it", "id", "vi", "tr", "ru"] as const;
const FACES = ["sc", "latn", "th", "emoji"].flatMap((f) => [`${f}-400`, `${f}-700`]);
const THAI = /[\u0e00-\u0e7f]/u;

async function card(storeName: string, lang: string, file: "print.pdf" | "print.svg") {
  const poster = await makePoster({ store_id: (await makeStore(storeName)).id });
  const res = await call(`/v1/posters/${poster.id}/${file}?size=5cm&lang=${lang}`, {
    key: await posterKey(),
  });
  expect(res.status, `${lang} ${file}`).toBe(200);
  return { poster, res };
}

async function pdfLines(storeName: string, lang: string) {
  const { poster, res } = await card(storeName, lang, "print.pdf");
  const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
  return { poster, lines: pdfTexts(pages[0]!.content, fonts) };
}

/** The glyph outlines an SVG draws, none of which may be a face's .notdef box. */
async function expectNoBoxes(svg: string, what: string) {
  const boxes = await Promise.all(FACES.map(notdefPath));
  const paths = [...svg.matchAll(/<path id="g\d+" d="([^"]*)"\/>/g)].map((m) => m[1]);
  expect(paths.length, what).toBeGreaterThan(0);
  for (const box of boxes) expect(paths, what).not.toContain(box);
}

describe("cards in the Latin, Cyrillic and Thai languages", () => {
  it("print.pdf prints each language's own words, Latin and Cyrillic ones in Noto Sans", async () => {
    for (const lang of LATIN_LANGS) {
      const { poster, lines } = await pdfLines("Café Zürich", lang);
      const [name, cta, code, manual] = lines;
      expect(lines, lang).toHaveLength(4);
      const host = new URL(poster.url).host;
      expect(cta!.text, lang).toBe(CARD_WORDS[lang].cta);
      expect(manual!.text, lang).toBe(CARD_WORDS[lang].manual.replace("{host}", `${host}/c`));
      for (const line of [name!, cta!, manual!])
        for (const run of line.runs) expect(run.font, `${lang} ${run.text}`).toMatch(/\+NotoSans-/);
      for (const run of code!.runs) expect(run.font).toMatch(/\+NotoSansMono-Bold$/);
    }
  });

  it("print.pdf in Thai sets the words' Thai in the Thai face, the host in the Latin of the card", async () => {
    const { poster, lines } = await pdfLines("ร้านกาแฟ", "th");
    const [name, cta, , manual] = lines;
    expect(name!.text).toBe("ร้านกาแฟ");
    expect(cta!.text).toBe(CARD_WORDS.th.cta);
    const host = new URL(poster.url).host;
    expect(manual!.text).toBe(CARD_WORDS.th.manual.replace("{host}", `${host}/c`));
    for (const line of [name!, cta!, manual!])
      for (const run of line.runs.filter((r) => THAI.test(r.text)))
        expect(run.font, run.text).toMatch(/\+NotoSansThai-(Regular|Bold)$/);
    expect(manual!.runs.find((r) => r.text.includes(host))?.font).toMatch(/\+NotoSansSC-Regular$/);
  });

  it("print.svg outlines every language's words with real glyphs, none a .notdef box", async () => {
    for (const lang of [...LATIN_LANGS, "th"] as const) {
      const { res } = await card("Şişli Phở Кофейня", lang, "print.svg");
      const svg = await res.text();
      expect(svg, lang).toContain(`aria-label="${CARD_WORDS[lang].cta}"`);
      await expectNoBoxes(svg, lang);
    }
  });
});

describe("store names in Turkish, Thai and emoji", () => {
  it("print.pdf sets a Turkish name wholly in Noto Sans, even on an English card", async () => {
    const { lines } = await pdfLines("Şişli İstanbul Çay Ğ ı", "en");
    expect(lines[0]!.text).toBe("Şişli İstanbul Çay Ğ ı");
    for (const run of lines[0]!.runs) expect(run.font).toMatch(/\+NotoSans-Bold$/);
  });

  it("print.pdf sets a Thai name's letters and marks in the Thai face and gives it back as written", async () => {
    for (const name of ["ร้านกาแฟ", "น้ำ ที่นี่", "ปี่ ฟ้า"]) {
      const { lines } = await pdfLines(name, "en");
      expect(lines[0]!.text, name).toBe(name);
      const thai = lines[0]!.runs.filter((r) => THAI.test(r.text));
      expect(thai.length, name).toBeGreaterThan(0);
      for (const run of thai) expect(run.font, run.text).toMatch(/\+NotoSansThai-Bold$/);
    }
  });

  it("print.pdf and print.svg draw single emoji from the emoji face, no box", async () => {
    const name = "Café ☕ 🍜 😀";
    const { lines } = await pdfLines(name, "en");
    expect(lines[0]!.text).toBe(name);
    const emoji = lines[0]!.runs.filter((r) => /\p{Extended_Pictographic}/u.test(r.text));
    expect(emoji.length).toBeGreaterThan(0);
    for (const run of emoji) expect(run.font, run.text).toMatch(/\+NotoEmoji-Bold$/);
    const { res } = await card(name, "en", "print.svg");
    await expectNoBoxes(await res.text(), name);
  });
});
