// Cards printed in Hebrew and Arabic (`lang=he`, `lang=ar`): the card's own words drawn from
// the Hebrew and Arabic faces right to left, the host and the manual code left to right where
// they belong, nothing as .notdef's box. print-rtl.test.ts covers the store names themselves.
import { describe, expect, it } from "vitest";
import { type PdfText, pdfTexts, readPdf } from "../pdf-reader";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";
import { notdefPath } from "./print-card-helpers";

const RTL_LETTER = /[\u0590-\u06ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
/** Direction marks: in the ToUnicode map (they are in the text) but drawn as nothing. */
const MARKS = /[\u200e\u200f]/gu;

const CASES = [
  {
    lang: "he",
    name: "מאפיית השוק",
    face: "NotoSansHebrew",
    cta: "סרקו עם מצלמת הטלפון",
    manual: "אין מצלמה? הזינו את הקוד בכתובת",
  },
  {
    lang: "ar",
    name: "مخبز السوق",
    face: "NotoSansArabic",
    cta: "امسح الرمز بكاميرا هاتفك",
    manual: "لا توجد كاميرا؟ أدخل الرمز في",
  },
] as const;

/** Visual order (as drawn, left to right) of a line written wholly right to left. */
const drawnRtl = (written: string) => [...written].reverse().join("");

async function cardPdf(storeName: string, lang: string) {
  const poster = await makePoster({ store_id: (await makeStore(storeName)).id });
  const res = await call(`/v1/posters/${poster.id}/print.pdf?size=5cm&lang=${lang}`, {
    key: await posterKey(),
  });
  expect(res.status, lang).toBe(200);
  const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
  return { poster, lines: pdfTexts(pages[0]!.content, fonts) };
}

/** Every run holding a Hebrew or Arabic letter is in `face` (a missing glyph would be SC's box). */
function expectLettersIn(line: PdfText, face: string) {
  const letters = line.runs.filter((r) => RTL_LETTER.test(r.text));
  expect(letters.length, line.text).toBeGreaterThan(0);
  for (const run of letters) {
    expect(run.font, run.text).toMatch(new RegExp(`^[A-Z]{6}\\+${face}-(Regular|Bold)$`));
    expect(run.text).toMatch(/^[^\p{Script=Latin}\p{Script=Han}]+$/u);
  }
}

describe("cards printed in Hebrew and Arabic", () => {
  it("print.pdf draws the card's words right to left from the Hebrew or Arabic face", async () => {
    for (const c of CASES) {
      const { poster, lines } = await cardPdf(c.name, c.lang);
      const [name, cta, code, manual] = lines;
      expect(lines, c.lang).toHaveLength(4);
      expectLettersIn(name!, c.face);
      expect(cta!.text, c.lang).toBe(drawnRtl(c.cta));
      expectLettersIn(cta!, c.face);
      // The code stays left to right in the mono face, as on every card.
      expect(code!.text).toBe(poster.display_code);
      for (const run of code!.runs) expect(run.font).toMatch(/\+NotoSansMono-Bold$/);
      // The host is a left-to-right run at the line's end, so at its left, before the words.
      const host = new URL(poster.url).host;
      expect(manual!.text.replace(MARKS, ""), c.lang).toBe(`${host}/c ${drawnRtl(c.manual)}`);
      expectLettersIn(manual!, c.face);
      for (const run of manual!.runs.filter((r) => !RTL_LETTER.test(r.text)))
        expect(run.font, run.text).toMatch(/\+NotoSansSC-Regular$/);
      // Below one another in the card's order: name, (QR), call to action, code, manual line.
      expect(cta!.y).toBeGreaterThan(name!.y);
      expect(code!.y).toBeGreaterThan(cta!.y);
      expect(manual!.y).toBeGreaterThan(code!.y);
    }
  });

  it("print.pdf in Arabic keeps a Latin store name as written, in the Latin face", async () => {
    const { lines } = await cardPdf("Café Zürich", "ar");
    expect(lines[0]!.text).toBe("Café Zürich");
    for (const run of lines[0]!.runs) expect(run.font).toMatch(/\+NotoSansSC-Bold$/);
    expect(lines[1]!.text).toBe(drawnRtl(CASES[1].cta));
    expectLettersIn(lines[1]!, "NotoSansArabic");
  });

  it("print.svg outlines the card's words with real glyphs and labels them as written", async () => {
    const faces = ["sc-400", "sc-700", "he-400", "he-700", "ar-400", "ar-700", "mono-700"];
    const boxes = await Promise.all(faces.map(notdefPath));
    for (const c of CASES) {
      const p = await makePoster({ store_id: (await makeStore(c.name)).id });
      const res = await call(`/v1/posters/${p.id}/print.svg?lang=${c.lang}`, {
        key: await posterKey(),
      });
      expect(res.status, c.lang).toBe(200);
      const svg = await res.text();
      const cta = new RegExp(`<g class="text" aria-label="${c.cta}"[^>]*>(.*?)</g>`).exec(svg);
      expect(cta, c.lang).not.toBeNull();
      // One glyph per letter (no lam-alef in these words), none for the spaces.
      expect(cta![1]!.match(/<use /g)).toHaveLength(c.cta.replace(/ /g, "").length);
      const host = new URL(p.url).host;
      expect(svg).toContain(`aria-label="${c.manual} \u200e${host}/c\u200e"`);
      const paths = [...svg.matchAll(/<path id="g\d+" d="([^"]*)"\/>/g)].map((m) => m[1]);
      for (const box of boxes) expect(paths, c.lang).not.toContain(box);
    }
  });
});
