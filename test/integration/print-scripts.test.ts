// Store names in Armenian, Georgian (Mkhedruli, Mtavruli) and Ethiopic through the real Worker
// and glyph packs: each letter drawn with its own face's outline (the one the pack holds for
// it, never a .notdef box), the PDF embedding those faces and giving the name back exactly.
import { describe, expect, it } from "vitest";
import { type FaceId, readBlock } from "../../src/core/glyph-pack";
import { glyphPath } from "../../src/core/truetype";
import { pdfTexts, readPdf } from "../pdf-reader";
import { nameOutlines, notdefPath, pack, storeCard } from "./print-card-helpers";

/** Names shops write, the face each one's letters must come from, and that face's PDF name. */
const NAMES: [string, FaceId, string, RegExp][] = [
  ["Երևան Սրճարան", "armn-700", "NotoSansArmenian-Bold", /\p{sc=Armenian}/u],
  ["თბილისი კაფე", "geor-700", "NotoSansGeorgian-Bold", /\p{sc=Georgian}/u],
  ["ᲗᲑᲘᲚᲘᲡᲘ ᲞᲣᲠᲘ", "geor-700", "NotoSansGeorgian-Bold", /\p{sc=Georgian}/u],
  ["አዲስ ቡና ቤት", "ethi-700", "NotoSansEthiopic-Bold", /\p{sc=Ethiopic}/u],
];

/** The outline the pack holds for `cp` in `face`, as an SVG path. */
async function packPath(face: FaceId, cp: number): Promise<string> {
  const res = await pack(`${face}/${(cp >> 8).toString(16)}.bin`);
  expect(res.status, `${face} U+${cp.toString(16)}`).toBe(200);
  const glyph = readBlock(new Uint8Array(await res.arrayBuffer())).get(cp);
  expect(glyph, `${face} has U+${cp.toString(16)}`).toBeDefined();
  return glyphPath(glyph!.outline);
}

describe("store names in Armenian, Georgian and Ethiopic", () => {
  it("print.svg draws each letter with its own face's outline, none a box", async () => {
    const boxes = await Promise.all(
      ["sc-700", "armn-700", "geor-700", "ethi-700", "latn-700"].map(notdefPath),
    );
    for (const [name, face] of NAMES) {
      const svg = await (await storeCard(name, "en", "print.svg")).text();
      expect(svg, name).toContain(`aria-label="${name}"`);
      const letters = [...name].filter((ch) => ch !== " ");
      const want = await Promise.all(letters.map((ch) => packPath(face, ch.codePointAt(0)!)));
      expect(nameOutlines(svg), name).toEqual(want);
      for (const path of want) expect(path.length, name).toBeGreaterThan(20);
      for (const box of boxes) expect(want, name).not.toContain(box);
    }
  });

  it("print.pdf embeds the script's face and gives the name back through ToUnicode", async () => {
    for (const [name, , font, script] of NAMES) {
      const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
      const { pages, fonts: used } = await readPdf(bytes);
      const [line] = pdfTexts(pages[0]!.content, used);
      expect(line!.text, name).toBe(name);
      const own = line!.runs.filter((r) => script.test(r.text));
      expect(own.map((r) => r.text).join(" "), name).toBe(name);
      for (const run of own) expect(run.font, run.text).toMatch(new RegExp(`\\+${font}$`));
      // The face is a Type0 over an embedded TrueType subset (FontFile2), as every face is.
      const raw = new TextDecoder("latin1").decode(bytes);
      const type0 = raw.match(/\/Subtype \/Type0/g)!.length;
      expect(raw.match(/\/FontFile2 \d+ 0 R/g), name).toHaveLength(type0);
      expect(raw, name).toMatch(new RegExp(`/FontName /[A-Z]{6}\\+${font}\\b`));
    }
  });

  it("print.pdf sets a name mixing the three scripts and Latin, each in its own face", async () => {
    const name = "Café Սրճ კაფე ቡና 24";
    const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
    const { pages, fonts: used } = await readPdf(bytes);
    const [line] = pdfTexts(pages[0]!.content, used);
    expect(line!.text).toBe(name);
    const faceOf = (word: string) =>
      line!.runs.find((r) => r.text.includes(word))?.font.split("+")[1];
    expect(faceOf("Սրճ")).toBe("NotoSansArmenian-Bold");
    expect(faceOf("კაფე")).toBe("NotoSansGeorgian-Bold");
    expect(faceOf("ቡና")).toBe("NotoSansEthiopic-Bold");
    expect(faceOf("Café")).toBe("NotoSansSC-Bold");
  });

  it("print.svg in a card language's regular face draws the name's letters too (labels)", async () => {
    // The label is set regular: the 400 faces must hold the same letters.
    const res = await storeCard("Cafe", undefined, "print.svg", { label: "Երևան თბილისი አዲስ" });
    const svg = await res.text();
    const paths = new Set([...svg.matchAll(/<path id="g\d+" d="([^"]*)"\/>/g)].map((m) => m[1]));
    for (const [ch, face] of [
      ["Ե", "armn-400"],
      ["თ", "geor-400"],
      ["አ", "ethi-400"],
    ] as const)
      expect(paths.has(await packPath(face, ch.codePointAt(0)!)), ch).toBe(true);
  });
});
