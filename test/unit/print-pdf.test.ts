import { describe, expect, it } from "vitest";
import { isWinAnsi, pdfDocument, pdfString, textWidth } from "../../src/core/pdf";
import { layoutSheet } from "../../src/pages/print-layout";
import { renderPosterCardPdf, renderPrintSheetsPdf } from "../../src/pages/print-pdf";
import { pdfQrCodes, pdfTexts, readPdf } from "../pdf-reader";

const items = Array.from({ length: 14 }, (_, i) => ({
  url: `HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4${String.fromCharCode(65 + i)}B`,
  displayCode: `7K2M9-QX4${String.fromCharCode(65 + i)}B`,
  storeName: i === 1 ? "新宿店 (East)" : i === 2 ? "Café (Shibuya) \\ 2" : null,
  label: `Shelf ${i}`,
}));

describe("core/pdf", () => {
  it("escapes literal strings and writes non-Latin text as UCS-2 hex", () => {
    expect(pdfString("a(b)\\c", "F1")).toBe("(a\\(b\\)\\\\c)");
    expect(pdfString("Café", "F1")).toBe("(Caf\\351)");
    expect(pdfString("新A", "F4")).toBe("<65b00041>");
    expect(pdfString("😀", "F4")).toBe("<003f>"); // beyond the BMP: "?"
    expect(isWinAnsi("Café (Shibuya)")).toBe(true);
    expect(isWinAnsi("新宿")).toBe(false);
    expect(isWinAnsi("a\u0085")).toBe(false); // C1 controls are not WinAnsi text
  });

  it("measures text with the standard fonts' widths", () => {
    expect(textWidth("Hi", "F1")).toBeCloseTo(0.944); // H 722 + i 222
    expect(textWidth("Hi", "F2")).toBeCloseTo(1.0); // H 722 + i 278
    expect(textWidth("ABCDE", "F3")).toBeCloseTo(3.0); // Courier: 600 each
    expect(textWidth("新A", "F4")).toBeCloseTo(1.5);
  });

  it("writes a file whose cross-reference offsets, stream lengths and pages are right", async () => {
    const pdf = await pdfDocument(
      [
        { width: 100, height: 200, content: "0 0 10 10 re f\n" },
        { width: 300, height: 400, content: "1 1 5 5 re f\n" },
      ],
      "Test «one»",
    );
    const read = await readPdf(pdf);
    expect(read.pages.map((p) => p.size)).toEqual([
      [100, 200],
      [300, 400],
    ]);
    expect(read.pages.map((p) => p.content)).toEqual(["0 0 10 10 re f\n", "1 1 5 5 re f\n"]);
    expect(read.info).toContain("/Title (Test \\253one\\273)");
    const zh = await readPdf(await pdfDocument([{ width: 1, height: 1, content: "" }], "海报"));
    expect(zh.info).toContain("/Title <feff6d7762a5>"); // UTF-16BE with its byte order mark
  });
});

describe("print kit as PDF", () => {
  it("puts a batch on A4 pages of 12 in one file; every QR decodes to its poster", async () => {
    const pdf = await renderPrintSheetsPdf(items, { host: "qr.example.com" });
    const { pages } = await readPdf(pdf);
    expect(pages).toHaveLength(2);
    for (const p of pages) {
      expect(p.size[0]).toBeCloseTo(595.276, 2); // A4 in points
      expect(p.size[1]).toBeCloseTo(841.89, 2);
    }
    const decoded = pages.flatMap((p) => pdfQrCodes(p.content).map((q) => q.data));
    expect(decoded).toEqual(items.map((i) => i.url));
    const texts = pages.map((p) => pdfTexts(p.content));
    expect(texts[0]!.filter((t) => t.font === "F3").map((t) => t.text)).toEqual(
      items.slice(0, 12).map((i) => i.displayCode),
    );
    expect(texts[1]!.map((t) => t.text)).toContain("2 / 2");
    expect(texts[0]!.find((t) => t.text === "新宿店 (East)")?.font).toBe("F4");
    expect(texts[0]!.find((t) => t.text === "Café (Shibuya) \\ 2")?.font).toBe("F2");
    expect(pages[0]!.content.match(/ l S/g)).toHaveLength(18); // crop marks: 4 + 5 cuts, both ends
  });

  it("draws each mark where the layout (shared with the SVG) puts it, text centred", async () => {
    const { pages } = await readPdf(await renderPrintSheetsPdf(items.slice(0, 12), { host: "h" }));
    const sheet = layoutSheet(items.slice(0, 12), { host: "h" }, { page: 1, pages: 1 });
    const qrs = sheet.cards.flat().filter((m) => m.kind === "qr");
    const drawn = pdfQrCodes(pages[0]!.content);
    expect(drawn.map((q) => [q.x, q.y])).toEqual(
      qrs.map((m) => [Math.round(m.x * 1000) / 1000, Math.round(m.y * 1000) / 1000]),
    );
    const code = pdfTexts(pages[0]!.content).find((t) => t.text === items[0]!.displayCode)!;
    const mark = sheet.cards[0]!.find((m) => m.kind === "text" && m.text === code.text)!;
    if (mark.kind !== "text") throw new Error("not a text");
    const width = textWidth(code.text, "F3") * code.size + 0.2 * (code.text.length - 1);
    expect(code.x + width / 2).toBeCloseTo(mark.x, 2); // centred on the layout's x
    expect(code.y).toBeCloseTo(mark.y, 2);
  });

  it("renders one card as a one-page PDF sized around the QR", async () => {
    const pdf = await renderPosterCardPdf(items[1]!, { host: "qr.example.com", sizeMm: 50 });
    const { pages, info } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    const [qr] = pdfQrCodes(pages[0]!.content);
    expect(qr!.data).toBe(items[1]!.url);
    expect(pages[0]!.size[0] / (72 / 25.4)).toBeGreaterThan(50); // wider than the symbol, mm
    expect(info).toMatch(/\/Title <feff/); // the store name is Chinese
  });
});
