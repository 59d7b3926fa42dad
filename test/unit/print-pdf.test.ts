import { beforeAll, describe, expect, it } from "vitest";
import type { GlyphStore } from "../../src/core/glyph-store";
import { cmyk, cmykFill, pdfDocument, pdfText } from "../../src/core/pdf";
import { encodeRgbaPng } from "../../src/core/png";
import { layoutSheet, printTexts } from "../../src/pages/print-layout";
import type { PrintItem } from "../../src/pages/print-marks";
import { renderPosterCardPdf, renderPrintSheetsPdf } from "../../src/pages/print-pdf";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { pdfQrCodes, pdfTexts, readPdf } from "../pdf-reader";
import { fsFetcher } from "../print-fonts-fs";

const NAMES = [
  "Shibuya 渋谷店",
  "新宿店 (East)",
  "臺北 信義店",
  "서울 강남점",
  "しぶや 渋谷",
  "Café (Zürich) \\ 2",
];
const items: PrintItem[] = Array.from({ length: 14 }, (_, i) => ({
  url: `HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4${String.fromCharCode(65 + i)}B`,
  displayCode: `7K2M9-QX4${String.fromCharCode(65 + i)}B`,
  storeName: NAMES[i] ?? null,
  label: i === 0 ? "Window A" : null,
}));
const NOW = Date.UTC(2026, 6, 1, 12, 0, 0);
const host = "qr.example.com";

async function fontsFor(
  list: PrintItem[],
  o: Parameters<typeof printTexts>[1],
): Promise<GlyphStore> {
  const fonts = await loadPrintFonts(fsFetcher(), printTexts(list, o));
  if (!fonts) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
  return fonts;
}

describe("core/pdf", () => {
  it("writes text strings and colours as print shops want them", () => {
    expect(pdfText("a(b)\\c")).toBe("(a\\(b\\)\\\\c)");
    expect(pdfText("海报")).toBe("<FEFF6D7762A5>");
    expect(cmykFill([0, 0, 0])).toBe("0 0 0 1 k"); // black ink alone, never rich black
    expect(cmykFill([51, 51, 51])).toBe("0 0 0 0.8 k");
    expect(cmyk([255, 0, 0])).toEqual([0, 1, 1, 0]);
    expect(cmyk([255, 255, 255])).toEqual([0, 0, 0, 0]);
  });

  it("writes a PDF/X-1a-shaped file: offsets, boxes, output intent, dates, /ID", async () => {
    const pdf = await pdfDocument(
      [
        { width: 100, height: 200, content: "0 0 10 10 re f\n", trimBox: [10, 10, 90, 190] },
        { width: 300, height: 400, content: "1 1 5 5 re f\n" },
      ],
      { title: "Test «one»", createdAt: NOW },
    );
    const read = await readPdf(pdf);
    expect(read.pages.map((p) => p.size)).toEqual([
      [100, 200],
      [300, 400],
    ]);
    expect(read.pages.map((p) => p.content)).toEqual(["0 0 10 10 re f\n", "1 1 5 5 re f\n"]);
    expect(read.pages[0]!.dict).toContain("/TrimBox [10 10 90 190] /BleedBox [10 10 90 190]");
    expect(read.pages[1]!.dict).toContain("/TrimBox [0 0 300 400]");
    expect(read.info).toContain("/Title <FEFF");
    expect(read.info).toContain("/GTS_PDFXVersion (PDF/X-1a:2003)");
    expect(read.info).toContain("/CreationDate (D:20260701120000Z)");
    expect(read.info).toContain("/Trapped /False");
    expect(read.catalog).toContain("/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX");
    expect(read.trailer).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
  });
});

describe("print kit as PDF", () => {
  let fonts: GlyphStore;
  beforeAll(async () => {
    fonts = await fontsFor(items, { host });
  });

  it("embeds every font it uses and gives every text back exactly, in every script", async () => {
    const pdf = await renderPrintSheetsPdf(items, { host }, fonts, NOW);
    const text = new TextDecoder("latin1").decode(pdf);
    const read = await readPdf(pdf);
    expect(read.pages).toHaveLength(2);
    // Every font is a Type0 over an embedded TrueType subset with a ToUnicode map.
    const type0 = text.match(/\/Subtype \/Type0/g)!.length;
    expect(text.match(/\/FontFile2 \d+ 0 R/g)).toHaveLength(type0);
    expect(text.match(/\/ToUnicode \d+ 0 R/g)).toHaveLength(type0);
    expect(text).not.toMatch(/\/Subtype \/Type1|STSong|Helvetica/);
    const texts = read.pages.flatMap((p) => pdfTexts(p.content, read.fonts));
    for (const name of NAMES) expect(texts.map((t) => t.text)).toContain(name);
    const faceOf = (t: string) =>
      texts.find((x) => x.text === t)!.fonts.map((f) => f.split("+")[1]);
    expect(faceOf("서울 강남점")).toEqual(["NotoSansKR-Bold"]);
    expect(faceOf("しぶや 渋谷")).toEqual(["NotoSansJP-Bold"]);
    expect(faceOf("Shibuya 渋谷店")).toEqual(["NotoSansSC-Bold"]);
    expect(faceOf(items[0]!.displayCode)).toEqual(["NotoSansMono-Bold"]);
    expect(texts.map((t) => t.text)).toContain("Window A");
    expect(texts.map((t) => t.text)).toContain("2 / 2");
    // Black text is black ink alone; greys are tints of it.
    expect(texts.find((t) => t.text === NAMES[0])!.fill).toBe("0 0 0 1");
    expect(texts.find((t) => t.text === "Window A")!.fill).toBe("0 0 0 0.6");
  });

  it("uses CMYK only, QR modules in black ink, and every QR decodes to its poster", async () => {
    const { pages } = await readPdf(await renderPrintSheetsPdf(items, { host }, fonts, NOW));
    for (const p of pages) {
      // No RGB or grey colour operators, no transparency: only `k`/`K` set colours.
      expect(p.content).not.toMatch(/ (rg|RG|g|G|gs|sc|scn)\n|\/(CA|ca|SMask) /);
      expect(p.dict).toContain("/TrimBox [28.346 28.346 566.929 813.543]"); // the cards' grid
    }
    const decoded = pages.flatMap((p) => pdfQrCodes(p.content).map((q) => q.data));
    expect(decoded).toEqual(items.map((i) => i.url));
  });

  it("keeps crop marks outside the bleed, and draws marks where the shared layout puts them", async () => {
    const { pages } = await readPdf(
      await renderPrintSheetsPdf(items.slice(0, 12), { host }, fonts, NOW),
    );
    const sheet = layoutSheet(items.slice(0, 12), { host }, { page: 1, pages: 1 });
    for (const l of sheet.crops) {
      const [x0, x1] = [Math.min(l.x, l.x + l.dx), Math.max(l.x, l.x + l.dx)];
      const [y0, y1] = [Math.min(l.y, l.y + l.dy), Math.max(l.y, l.y + l.dy)];
      const outside = x1 < 7 || x0 > 203 || y1 < 7 || y0 > 290; // bleed box: 3 mm past the grid
      expect(outside).toBe(true);
    }
    const qrs = sheet.cards.flat().filter((m) => m.kind === "qr");
    expect(pdfQrCodes(pages[0]!.content).map((q) => [q.x, q.y])).toEqual(
      qrs.map((m) => [Math.round(m.x * 1000) / 1000, Math.round(m.y * 1000) / 1000]),
    );
    expect(pages[0]!.content.match(/ l S/g)).toHaveLength(18); // 4 + 5 cuts, both ends
  });

  it("renders one card with its crop marks and boxes; a character no font has still extracts", async () => {
    const item = { ...items[3]!, storeName: "서울 강남점 🙂", label: null };
    const o = { host, sizeMm: 50, lang: "ko" as const };
    const pdf = await renderPosterCardPdf(item, o, await fontsFor([item], o), NOW);
    const { pages, info, fonts: used } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    const [qr] = pdfQrCodes(pages[0]!.content);
    expect(qr!.data).toBe(item.url);
    const texts = pdfTexts(pages[0]!.content, used).map((t) => t.text);
    expect(texts).toContain("서울 강남점 🙂");
    expect(texts).toContain("휴대폰 카메라로 스캔하세요");
    expect(texts.some((t) => t.includes("Window"))).toBe(false);
    const trim = /\/TrimBox \[([\d. ]+)\]/.exec(pages[0]!.dict)![1]!.split(" ").map(Number);
    const bleed = /\/BleedBox \[([\d. ]+)\]/.exec(pages[0]!.dict)![1]!.split(" ").map(Number);
    expect(trim[0]).toBeCloseTo(10 * (72 / 25.4), 2); // 10 mm of room for the marks
    expect(bleed[0]).toBeCloseTo(7 * (72 / 25.4), 2);
    expect(pages[0]!.content.match(/ l S/g)).toHaveLength(8); // two marks per corner
    expect(info).toMatch(/\/Title <FEFF/);
  });

  it("prints a styled code with its logo: CMYK colours, an opaque CMYK image, transparency on white", async () => {
    const [w, h] = [40, 20];
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++)
      rgba.set(i % w < w / 2 ? [200, 0, 0, 255] : [0, 0, 0, 0], i * 4);
    const png = await encodeRgbaPng(w, h, rgba);
    const logo = { png, width: w, height: h, rgba };
    const styled = (bg: string): PrintItem => ({
      ...items[0]!,
      style: { fg: "#1a237e", bg, modules: "dots", finder: "rounded", logo: "lg_x" },
      logo,
    });
    const list = [styled("transparent"), styled("#ffff00"), styled("transparent")];
    const { pages } = await readPdf(await renderPrintSheetsPdf(list, { host }, fonts, NOW));
    const c = pages[0]!.content;
    expect(c).not.toMatch(/ (rg|RG|g|G|gs|sc|scn)\n|\/(CA|ca|SMask) /);
    expect(c).toContain(`${cmykFill([0x1a, 0x23, 0x7e])} `); // the modules' colour
    expect(c).toContain("0 0 0 0 k 0 0 "); // a transparent background prints as paper
    expect(c).toContain(`${cmykFill([255, 255, 0])} 0 0 `);
    // One image per logo and background, shared by the cards; flipped into the y-down page.
    expect(c.match(/\/Im0 Do/g)).toHaveLength(2);
    expect(c.match(/\/Im1 Do/g)).toHaveLength(1);
    expect(pages[0]!.dict).toMatch(/\/XObject << \/Im0 \d+ 0 R \/Im1 \d+ 0 R \/Qd \d+ 0 R >>/);
    // Each dot is the one dot form placed, in the modules' colour: 1 × 1, filled.
    const dots = c.match(/q 1 0 0 1 \d+ \d+ cm \/Qd Do Q/g)!.length;
    expect(dots).toBeGreaterThan(3 * 100);
    expect(c).not.toContain("/Qr Do");
  });
});
