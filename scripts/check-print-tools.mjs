// The poppler and zbar readings scripts/check-print.mjs makes of the print files: what a print
// shop's tools (and a phone) get from a PDF. Needs poppler-utils and zbar-tools (Debian).
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * A command's standard output. zbarimg writes D-Bus noise to stderr on machines without a
 * session bus: stderr is kept out.
 *
 * @example
 * run("pdfinfo", ["-box", file]) // "Pages: 1\n…"
 */
export const run = (cmd, args) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

/**
 * The QR codes zbarimg reads in an image: "" when it finds none (it exits non-zero then). Only
 * QR: with every symbology on, zbar now and then reads a card's text strokes as a 1D barcode
 * (a Hebrew card's name gave a CODE-128 "@" beside its QR), which no phone camera app would.
 *
 * @example
 * zbar(join(dir, "card.png")) // "HTTP://127.0.0.1:8787/P/7K2M9QX4AB"
 */
export const zbar = (file) => {
  try {
    return run("zbarimg", ["-q", "--raw", "-Sdisable", "-Sqrcode.enable", file]).trim();
  } catch {
    return "";
  }
};

/**
 * The QR code zbarimg reads off a PDF's first page rasterised at 100 dpi (a PNG beside the PDF,
 * kept with QB_KEEP_PRINT: what a person looks at), as {@link zbar} gives it.
 *
 * @example
 * cardQr(join(dir, "card-he-7K2M9QX4AB.pdf")) // "HTTP://127.0.0.1:8787/P/7K2M9QX4AB"
 */
export const cardQr = (file) => {
  const png = file.replace(/\.pdf$/, "");
  run("pdftoppm", ["-r", "100", "-png", "-singlefile", file, png]);
  return zbar(`${png}.png`);
};

/**
 * pdftotext's text without the embedding marks (U+202A–U+202E) it puts around a right-to-left
 * run, nor the LRMs that keep a printed host one left-to-right run (they draw nothing). It
 * reads a page in its main direction (right to left on he and ar sheets), each right-to-left
 * run put back in written order: a name that is all Hebrew or Arabic comes back exactly, one
 * with digits or Latin around it comes back in the order its runs stand on the card
 * ("24 מאפיית השוק" for "מאפיית השוק 24").
 *
 * @example
 * pdftotext(file).includes("מאפיית השוק") // true
 */
export const pdftotext = (file) =>
  run("pdftotext", [file, "-"]).replace(/[\u200e\u200f\u202a-\u202e]/g, "");

/**
 * The fonts pdffonts lists for a PDF, one line each.
 *
 * @example
 * pdffonts(file).every((line) => / yes yes yes /.test(line)) // every font embedded, with ToUnicode
 */
export const pdffonts = (file) => run("pdffonts", [file]).trim().split("\n").slice(2);

/**
 * Every QR code of a sheet PDF, each read alone: every page rendered at 300 dpi cell by cell of
 * its 3 × 4 grid of cards (the TrimBox), each cell decoded by zbarimg. Read whole, a page of
 * several codes now and then loses one to zbar's page scan at one resolution or another
 * though the same code reads alone (found on plain black codes): the cell is what a phone sees.
 *
 * @example
 * sheetCodes(join(dir, "sheet-en.pdf"), dir) // ["HTTP://…/P/7K2M9QX4AB", …]
 */
export const sheetCodes = (file, dir) => {
  const info = run("pdfinfo", ["-box", file]);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const height = Number(/Page size:\s+[\d.]+ x ([\d.]+)/.exec(info)[1]);
  const [x0, y0, x1, y1] = /TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/
    .exec(info)
    .slice(1)
    .map(Number);
  const px = (pt) => Math.round((pt * 300) / 72);
  const [w, h] = [(x1 - x0) / 3, (y1 - y0) / 4];
  const codes = [];
  for (let page = 1; page <= pages; page++)
    for (let cell = 0; cell < 12; cell++) {
      const [left, top] = [x0 + (cell % 3) * w, height - y1 + Math.floor(cell / 3) * h];
      const out = join(dir, `cell-${page}-${cell}`);
      const geometry = ["-x", px(left), "-y", px(top), "-W", px(w), "-H", px(h)].map(String);
      const pageArgs = ["-f", `${page}`, "-l", `${page}`];
      run("pdftoppm", ["-r", "300", "-png", "-singlefile", ...pageArgs, ...geometry, file, out]);
      codes.push(...zbar(`${out}.png`).split("\n").filter(Boolean));
    }
  return codes;
};
