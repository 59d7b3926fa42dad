/**
 * Standalone bench Worker for the print kit (src/pages/print*.ts). Each endpoint renders `n`
 * posters with varied codes and returns the output's size in bytes:
 *
 *   GET /noop?n=N   the round trip only (subtracted by bench/print.mjs)
 *   GET /svg?n=N    SVG sheets of 12 cards (one renderPrintSheet per page), texts as outlines
 *   GET /pdf?n=N    one PDF of all N posters (renderPrintSheetsPdf), fonts subset and embedded
 *   …&styled=1      every poster branded: colours, dots, rounded finders, a 96 px centre logo
 *
 * Both load their glyphs through the PRINT_FONTS assets binding as the Worker does (after the
 * first round from the isolate's memory, as in a warm Worker).
 */
import type { QrLogo } from "../src/core/qr-logo";
import { renderPrintSheet } from "../src/pages/print";
import { printTexts } from "../src/pages/print-layout";
import type { PrintItem } from "../src/pages/print-marks";
import { renderPrintSheetsPdf } from "../src/pages/print-pdf";
import { loadPrintFonts } from "../src/store/print-fonts";

/** A 96 × 96 logo (an amber disc with a red band), its pixels decoded as the Worker keeps them. */
function benchLogo(): QrLogo {
  const rgba = new Uint8Array(96 * 96 * 4);
  for (let y = 0; y < 96; y++)
    for (let x = 0; x < 96; x++) {
      const disc = (x - 48) ** 2 + (y - 48) ** 2 < 46 ** 2;
      const c = disc
        ? Math.abs(y - 48) < 12
          ? [183, 28, 28, 255]
          : [255, 179, 0, 255]
        : [0, 0, 0, 0];
      rgba.set(c, (y * 96 + x) * 4);
    }
  // The SVG embeds the file: any bytes of the right size stand in for it here.
  return { png: new Uint8Array(6000), width: 96, height: 96, rgba };
}
const logo = benchLogo();
const STYLE = {
  fg: "#1a237e",
  modules: "dots",
  finder: "rounded",
  finder_color: "#b71c1c",
  logo: "lg_bench",
} as const;

const items = (n: number, styled: boolean): PrintItem[] =>
  Array.from({ length: n }, (_, i) => {
    const code = String(1_000_000_000 + i * 7919).slice(0, 10);
    return {
      url: `HTTPS://QR.EXAMPLE.COM/P/${code}`,
      displayCode: `${code.slice(0, 5)}-${code.slice(5)}`,
      storeName: i % 2 ? "Shibuya Station" : "新宿店",
      label: `Shelf ${i}`,
      ...(styled ? { style: STYLE, logo } : {}),
    };
  });

export default {
  async fetch(request: Request, env: { PRINT_FONTS: Fetcher }): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 12);
    const all = items(n, url.searchParams.get("styled") === "1");
    const o = { host: "qr.example.com" };
    let bytes = 0;
    if (url.pathname === "/svg") {
      for (let i = 0; i < n; i += 12) {
        const chunk = all.slice(i, i + 12);
        const fonts = await loadPrintFonts(env.PRINT_FONTS, printTexts(chunk, o));
        const page = { page: i / 12 + 1, pages: Math.ceil(n / 12) };
        bytes += renderPrintSheet(chunk, o, page, fonts).length;
      }
    } else if (url.pathname === "/pdf") {
      const fonts = await loadPrintFonts(env.PRINT_FONTS, printTexts(all, o));
      if (!fonts) throw new Error("no print fonts: run node scripts/build-fonts.mjs");
      bytes = (await renderPrintSheetsPdf(all, o, fonts, Date.now())).length;
    }
    return Response.json({ n, bytes });
  },
};
