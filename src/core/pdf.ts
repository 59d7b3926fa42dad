/**
 * A minimal PDF 1.4 writer for the print kit: pages of vector drawing and text, content streams
 * deflated (`FlateDecode`, through `CompressionStream`), a cross-reference table with exact
 * byte offsets. Fonts are not embedded: the standard Helvetica, Helvetica-Bold and Courier-Bold
 * (WinAnsi), and for Chinese the Adobe font pack's STSong-Light (`UniGB-UCS2-H`), which PDF
 * readers and print RIPs provide.
 */

/**
 * The fonts a page may use, by resource name: F1 Helvetica, F2 Helvetica-Bold, F3 Courier-Bold
 * (all WinAnsi), F4 STSong-Light for text WinAnsi cannot encode (Chinese; strings as UCS-2 hex).
 */
export type PdfFont = "F1" | "F2" | "F3" | "F4";

/** One page: its size in points and its content stream (PDF operators, ASCII). */
export interface PdfPage {
  width: number;
  height: number;
  content: string;
}

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

// Advance widths (1/1000 em) of WinAnsi 32–126 in Helvetica and Helvetica-Bold (Adobe AFM).
// biome-ignore format: a table
const HELVETICA = [278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,611,278,278,278,469,556,333,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584];
// biome-ignore format: a table
const HELVETICA_BOLD = [278,333,474,556,556,889,722,238,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,333,333,584,584,584,611,975,722,722,722,722,667,611,778,722,278,556,722,611,833,722,778,667,778,722,667,611,722,667,944,667,667,611,333,278,333,584,556,333,556,611,556,611,556,333,611,611,278,278,556,278,889,611,611,611,611,389,556,333,611,556,778,556,556,500,389,280,389,584];

/** Whether every character of `text` is in WinAnsi's printable ASCII and Latin-1 ranges. */
export function isWinAnsi(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || (c > 126 && c < 160) || c > 255) return false;
  }
  return true;
}

/**
 * The width of `text` in `font` at size 1 (em). Latin-1 letters outside ASCII count as an
 * average letter; STSong-Light counts half an em for ASCII and a full em otherwise (its `W`).
 *
 * @example
 * textWidth("Hi", "F1") // 0.944
 */
export function textWidth(text: string, font: PdfFont): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (font === "F3") w += 600;
    else if (font === "F4") w += c >= 32 && c <= 126 ? 500 : 1000;
    else w += (font === "F2" ? HELVETICA_BOLD : HELVETICA)[c - 32] ?? 556;
  }
  return w / 1000;
}

/**
 * `text` as a PDF string operand for `font`: a literal `(…)` with `\`, `(` and `)` escaped and
 * Latin-1 as octal for WinAnsi fonts; UCS-2 big-endian hex `<…>` for F4 (characters beyond
 * the Basic Multilingual Plane become "?").
 *
 * @example
 * pdfString("a(b)", "F1") // "(a\\(b\\))"
 */
export function pdfString(text: string, font: PdfFont): string {
  if (font === "F4") {
    let hex = "";
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      hex += (c > 0xffff ? 0x3f : c).toString(16).padStart(4, "0");
    }
    return `<${hex}>`;
  }
  let out = "(";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (ch === "\\" || ch === "(" || ch === ")") out += `\\${ch}`;
    else if (c >= 32 && c <= 126) out += ch;
    else out += `\\${(c > 255 || c < 32 ? 63 : c).toString(8).padStart(3, "0")}`;
  }
  return `${out})`;
}

/** A number as PDF writes it: at most 3 decimals, no exponent. */
export const num = (n: number): string => String(Math.round(n * 1000) / 1000);

async function deflate(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Objects 4–9: F1–F4 are objects 4–7, then F4's CID font (8) and its descriptor (9).
const FONT_OBJECTS = [
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  "<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>",
  "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [8 0 R] >>",
  "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 9 0 R /DW 1000 /W [1 95 500] >>",
  "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
];
const FONT_RESOURCES = "/F1 4 0 R /F2 5 0 R /F3 6 0 R /F4 7 0 R";

/**
 * A complete PDF of `pages`. Object numbers: 1 catalog, 2 page tree, 3 info, 4–9 fonts, then
 * each page and its content stream.
 *
 * @example
 * const bytes = await pdfDocument([{ width: 595.28, height: 841.89, content: "0 0 10 10 re f" }], "Sheet");
 */
export async function pdfDocument(
  pages: PdfPage[],
  title: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const write = (chunk: string | Uint8Array) => {
    const bytes = typeof chunk === "string" ? enc.encode(chunk) : chunk;
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string | Uint8Array[]) => {
    offsets[n] = length;
    write(`${n} 0 obj\n`);
    if (typeof body === "string") write(body);
    else for (const b of body) write(b);
    write("\nendobj\n");
  };
  // A binary comment on line 2 tells transfer tools the file is binary.
  write(new Uint8Array([...enc.encode("%PDF-1.4\n%"), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  const first = 4 + FONT_OBJECTS.length; // the first page's object
  const kids = pages.map((_, i) => `${first + 2 * i} 0 R`).join(" ");
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  // A text string outside Latin-1 is UTF-16BE with its byte order mark.
  const info = isWinAnsi(title)
    ? pdfString(title, "F1")
    : `<feff${pdfString(title, "F4").slice(1)}`;
  object(3, `<< /Title ${info} /Producer (qrbridge) >>`);
  for (const [i, body] of FONT_OBJECTS.entries()) object(4 + i, body);
  for (const [i, page] of pages.entries()) {
    const n = first + 2 * i;
    const box = `[0 0 ${num(page.width)} ${num(page.height)}]`;
    object(
      n,
      `<< /Type /Page /Parent 2 0 R /MediaBox ${box} /Resources << /Font << ${FONT_RESOURCES} >> >> /Contents ${n + 1} 0 R >>`,
    );
    const stream = await deflate(enc.encode(page.content));
    object(n + 1, [
      enc.encode(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      enc.encode("\nendstream"),
    ]);
  }
  const size = first + 2 * pages.length;
  const xref = length;
  let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) table += `${String(offsets[n] ?? 0).padStart(10, "0")} 00000 n \n`;
  write(
    `${table}trailer\n<< /Size ${size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
  );
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
