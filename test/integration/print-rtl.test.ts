import { describe, expect, it } from "vitest";
import { pdfTexts, readPdf } from "../pdf-reader";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";
import { notdefPath } from "./print-card-helpers";

const HEBREW = "מאפיית השוק 24";
const ARABIC = "مخبز السوق";
const RTL_LETTER = /[\u0590-\u06ff\ufb1d-\ufdff\ufe70-\ufeff]/u;

async function posterOf(name: string) {
  const store = await makeStore(name);
  return makePoster({ store_id: store.id });
}

describe("print files of stores named in Hebrew and Arabic", () => {
  it("print.pdf sets every letter of the name in the Hebrew or Arabic face, none as .notdef", async () => {
    for (const [name, face, drawn] of [
      [HEBREW, "NotoSansHebrew-Bold", "24 קושה תייפאמ"],
      [ARABIC, "NotoSansArabic-Bold", "قوسلا زبخم"],
    ] as const) {
      const p = await posterOf(name);
      const res = await call(`/v1/posters/${p.id}/print.pdf?size=5cm`, { key: await posterKey() });
      expect(res.status).toBe(200);
      const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
      const line = pdfTexts(pages[0]!.content, fonts)[0]!;
      // Drawn left to right, each glyph mapped back to the letter it stands for.
      expect(line.text, name).toBe(drawn);
      const letters = line.runs.filter((r) => RTL_LETTER.test(r.text));
      expect(letters.length, name).toBeGreaterThan(0);
      // A character no face has is drawn as the first face's (Noto Sans SC's) .notdef box.
      for (const run of letters) {
        expect(run.font, `${name}: ${run.text}`).toMatch(new RegExp(`^[A-Z]{6}\\+${face}$`));
        expect(run.text).toMatch(/^[^\p{Script=Latin}\p{Script=Han}]+$/u);
      }
    }
  });

  it("print.svg outlines the name with real glyphs and labels it as written", async () => {
    const boxes = await Promise.all(["sc-700", "he-700", "ar-700"].map(notdefPath));
    // Glyphs drawn but the spaces (no outline): Arabic has one fewer than it has letters
    // only if a lam-alef joined, and "مخبز السوق" (alef before lam) has none.
    for (const [name, outlined] of [
      [HEBREW, 12],
      [ARABIC, 9],
    ] as const) {
      const p = await posterOf(name);
      const res = await call(`/v1/posters/${p.id}/print.svg`, { key: await posterKey() });
      expect(res.status).toBe(200);
      const svg = await res.text();
      const group = new RegExp(`<g class="text bold" aria-label="${name}"[^>]*>(.*?)</g>`).exec(
        svg,
      );
      expect(group, name).not.toBeNull();
      expect(group![1]!.match(/<use /g)).toHaveLength(outlined);
      const paths = [...svg.matchAll(/<path id="g\d+" d="([^"]*)"\/>/g)].map((m) => m[1]);
      for (const box of boxes) expect(paths, name).not.toContain(box);
    }
  });
});
