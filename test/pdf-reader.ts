/**
 * A small PDF reader for the print kit's tests (Node and workerd): it checks the file's
 * structure the way a reader finds objects (every cross-reference offset must land on its
 * `n 0 obj`, `startxref` on the table), inflates each page's content stream, and reads back
 * the texts (through each embedded font's ToUnicode map) and QR blocks that
 * src/pages/print-pdf.ts draws, decoding each QR with jsQR.
 */
import jsQR from "jsqr";

export interface PdfPageRead {
  /** The page's MediaBox width and height, pt. */
  size: [number, number];
  content: string;
  /** The page dictionary (boxes, resources). */
  dict: string;
}

/** Per font resource name (`F0`): its BaseFont and its ToUnicode map (glyph id → text). */
export type PdfFonts = Map<string, { name: string; toUnicode: Map<number, string> }>;

const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return latin1(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/**
 * Parse a PDF: throws unless the header, every xref offset and `startxref` are right; returns
 * the pages in order (from the page tree's /Kids) and the /Info title.
 */
export async function readPdf(bytes: Uint8Array): Promise<{
  pages: PdfPageRead[];
  info: string;
  catalog: string;
  fonts: PdfFonts;
  trailer: string;
}> {
  const text = latin1(bytes);
  if (!text.startsWith("%PDF-1.")) throw new Error("no PDF header");
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  if (!text.startsWith("xref\n", startxref)) throw new Error("startxref does not point at xref");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  const entries = text
    .slice(startxref)
    .split("\n")
    .slice(2, 2 + Number(count));
  const body = new Map<number, { dict: string; start: number }>();
  entries.forEach((line, i) => {
    const n = Number(first) + i;
    if (n === 0) return;
    const offset = Number(line.slice(0, 10));
    if (!text.startsWith(`${n} 0 obj\n`, offset)) throw new Error(`xref of object ${n} is wrong`);
    body.set(n, { dict: text.slice(offset, text.indexOf("\nendobj", offset)), start: offset });
  });
  const object = (n: number) => {
    const o = body.get(n);
    if (!o) throw new Error(`no object ${n}`);
    return o;
  };
  const root = Number(/\/Root (\d+) 0 R/.exec(text.slice(startxref))![1]);
  const pagesRef = Number(/\/Pages (\d+) 0 R/.exec(object(root).dict)![1]);
  const kids = [.../\/Kids \[([^\]]*)\]/.exec(object(pagesRef).dict)![1]!.matchAll(/(\d+) 0 R/g)];
  const streamOf = async (n: number) => {
    const o = object(n);
    const length = Number(/\/Length (\d+)/.exec(o.dict)![1]);
    const at = text.indexOf("stream\n", o.start) + "stream\n".length;
    if (text.slice(at + length, at + length + 10) !== "\nendstream") throw new Error("bad /Length");
    return inflate(bytes.slice(at, at + length));
  };
  const pages: PdfPageRead[] = [];
  const fonts: PdfFonts = new Map();
  for (const [, kid] of kids) {
    const page = object(Number(kid)).dict;
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(page)!;
    const content = await streamOf(Number(/\/Contents (\d+) 0 R/.exec(page)![1]));
    pages.push({ size: [Number(box[1]), Number(box[2])], content, dict: page });
    const fontDict = /\/Font << ([^>]*) >>/.exec(page)?.[1] ?? "";
    for (const [, res, n] of fontDict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      if (fonts.has(res!)) continue;
      const type0 = object(Number(n)).dict;
      const cmap = await streamOf(Number(/\/ToUnicode (\d+) 0 R/.exec(type0)![1]));
      const toUnicode = new Map<number, string>();
      for (const [, code, hex] of cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/g)) {
        const units = hex!.match(/.{4}/g)!.map((h) => Number.parseInt(h, 16));
        toUnicode.set(Number.parseInt(code!, 16), String.fromCharCode(...units));
      }
      fonts.set(res!, { name: /\/BaseFont \/(\S+)/.exec(type0)![1]!, toUnicode });
    }
  }
  const trailer = text.slice(startxref);
  const info = /\/Info (\d+) 0 R/.exec(trailer)![1];
  return { pages, info: object(Number(info)).dict, catalog: object(root).dict, fonts, trailer };
}

export interface PdfText {
  /** The BaseFont of each run (subset tag and face, e.g. "ABCDEF+NotoSansSC-Bold"). */
  fonts: string[];
  size: number;
  x: number;
  y: number;
  /** The fill, as the CMYK operands before `k`. */
  fill: string;
  /** The text as its glyphs stand, left to right (right-to-left runs too are in visual order). */
  text: string;
  /** Each run's font (BaseFont) and text. */
  runs: { font: string; text: string }[];
}

/** The texts a content stream shows, decoded through each font's ToUnicode map. */
export function pdfTexts(content: string, fonts: PdfFonts): PdfText[] {
  const re =
    /BT ([\d. ]+) k [\d.]+ Tc 1 0 0 -1 ([\d.-]+) ([\d.-]+) Tm ((?:\/F\d+ [\d.]+ Tf (?:(?:<[0-9a-f]*> Tj|\[[^\]]*\] TJ|[\d.-]+ Ts) )+)+)ET/g;
  return [...content.matchAll(re)].map(([, fill, x, y, shows]) => {
    // Each run: its font, size and showing operators (Tj, or a shaped run's TJ and Ts).
    const runs = [
      ...shows!.matchAll(
        /\/(F\d+) ([\d.]+) Tf ((?:(?:<[0-9a-f]*> Tj|\[[^\]]*\] TJ|[\d.-]+ Ts) )+)/g,
      ),
    ];
    const decoded = runs.map(([, res, , ops]) => {
      const map = fonts.get(res!)!.toUnicode;
      let text = "";
      // A glyph the map leaves out stands for no text: .notdef, a shaped cluster's glyphs after
      // its first (whose text the first carries).
      for (const [, hex] of ops!.matchAll(/<([0-9a-f]*)>/g))
        for (const h of hex!.match(/.{4}/g) ?? []) text += map.get(Number.parseInt(h, 16)) ?? "";
      return { font: fonts.get(res!)!.name, text };
    });
    const text = decoded.map((r) => r.text).join("");
    return {
      fonts: runs.map((r) => fonts.get(r[1]!)!.name),
      size: Number(runs[0]![2]),
      x: Number(x),
      y: Number(y),
      fill: fill!,
      text,
      runs: decoded,
    };
  });
}

/** Every QR block of a content stream, rasterised (quiet zone included) and decoded by jsQR. */
export function pdfQrCodes(
  content: string,
  px = 6,
): { x: number; y: number; data: string | null }[] {
  const re =
    /q ([\d.]+) 0 0 \1 ([\d.]+) ([\d.]+) cm 0 0 0 0 k 0 0 (\d+) \4 re f 0 0 0 1 k\n((?:\d+ \d+ \d+ 1 re\n)*)f Q/g;
  return [...content.matchAll(re)].map(([, , x, y, sideText, runs]) => {
    const side = Number(sideText);
    const w = side * px;
    const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
    for (const [, cx, cy, len] of runs!.matchAll(/(\d+) (\d+) (\d+) 1 re/g)) {
      for (let col = Number(cx); col < Number(cx) + Number(len); col++)
        for (let py = Number(cy) * px; py < (Number(cy) + 1) * px; py++)
          for (let p = col * px; p < (col + 1) * px; p++) {
            const i = (py * w + p) * 4;
            rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
          }
    }
    return { x: Number(x), y: Number(y), data: jsQR(rgba, w, w)?.data ?? null };
  });
}
