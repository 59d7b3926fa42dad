/**
 * A minimal PDF writer for the print kit, shaped for print shops (PDF/X-1a:2003): every font
 * embedded (a TrueType subset as a CIDFontType2 with Identity-H codes and a ToUnicode map, so
 * text is searchable and copyable), colour only as DeviceCMYK, no transparency, an output
 * intent, trim and bleed boxes on every page, an /ID, and the dates and /Trapped key the
 * standard asks for. Streams are deflated through `CompressionStream`; the cross-reference
 * table has exact byte offsets.
 */

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** A box `[x0, y0, x1, y1]` in points, from the bottom left. */
export type PdfBox = [number, number, number, number];

/** One page: its size in points, its content stream (PDF operators, ASCII) and its boxes. */
export interface PdfPage {
  width: number;
  height: number;
  content: string;
  /** The finished size after cutting (default: the whole page). */
  trimBox?: PdfBox;
  /** How far artwork may run past the trim (default: the trim box). */
  bleedBox?: PdfBox;
}

/** A subset font to embed: its program, widths and Unicode text per glyph id (CID). */
export interface PdfFont {
  /** Resource name used in content streams (`F0` → `/F0 9 Tf`). */
  resource: string;
  /** PostScript name of the face; a subset tag is put in front. */
  name: string;
  /** TrueType program of the subset (glyph id = CID). */
  program: Uint8Array;
  /** Advance of each glyph id, 1/1000 em. */
  widths: number[];
  /** The text each glyph id stands for (empty for .notdef). */
  unicode: string[];
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
}

/** An opaque DeviceCMYK image, 8 bits per component (4 bytes a pixel, row by row). */
export interface PdfImage {
  resource: string;
  width: number;
  height: number;
  cmyk: Uint8Array;
}

/**
 * A form XObject: `content` drawn in its own unit space inside `bbox`, painted with
 * `/<resource> Do` wherever the current matrix puts it, in the current fill colour (it sets
 * none). One shape written once, placed many times.
 */
export interface PdfForm {
  resource: string;
  bbox: [number, number, number, number];
  content: string;
}

/** A number as PDF writes it: at most 3 decimals, no exponent. */
export const num = (n: number): string => String(Math.round(n * 1000) / 1000);

async function deflate(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

/** A string as UTF-16BE hex, as ToUnicode maps and text strings want it. */
function utf16Hex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/**
 * A PDF text string: literal when printable ASCII (escaped), else UTF-16BE with a byte order mark.
 *
 * @example
 * pdfText("a(b)") // "(a\\(b\\))"
 * pdfText("海报")  // "<FEFF6D7762A5>"
 */
export function pdfText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, "\\$&")})`;
  return `<FEFF${utf16Hex(text)}>`;
}

function toUnicodeCMap(unicode: string[]): string {
  const entries = unicode.flatMap((u, cid) => (u ? [`<${hex4(cid)}> <${utf16Hex(u)}>`] : []));
  let body = "";
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n${chunk.join("\n")}\nendbfchar\n`;
  }
  return (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
    `1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${body}` +
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
  );
}

/** Six capitals naming a subset (PDF wants `ABCDEF+Name` for subset fonts), from its glyphs. */
function subsetTag(font: PdfFont): string {
  let h = 2166136261;
  for (const u of [font.name, ...font.unicode])
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u.charCodeAt(i), 16777619) >>> 0;
  let tag = "";
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26) + i * 7919;
  }
  return tag;
}

/** `D:YYYYMMDDHHmmSSZ` for a unix ms time. */
function pdfDate(ms: number): string {
  return `D:${new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

const box = (b: PdfBox) => `[${b.map(num).join(" ")}]`;

/** The print condition named in the output intent (registered with the ICC, so no profile). */
const OUTPUT_INTENT =
  "<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (FOGRA39) " +
  "/RegistryName (http://www.color.org) /OutputCondition (Coated FOGRA39) " +
  "/Info (Offset printing, coated paper, ISO 12647-2:2004) >>";

/**
 * A complete PDF/X-1a-shaped file of `pages`, embedding `fonts`, `images` and `forms` (shared
 * by all pages as resources). `createdAt` (unix ms) dates the file and seeds its /ID.
 *
 * @example
 * const bytes = await pdfDocument([{ width: 595.28, height: 841.89, content: "0 0 0 1 k 0 0 10 10 re f" }], { title: "Sheet", createdAt: Date.now() });
 */
export async function pdfDocument(
  pages: PdfPage[],
  o: {
    title: string;
    createdAt: number;
    fonts?: PdfFont[];
    images?: PdfImage[];
    forms?: PdfForm[];
  },
): Promise<Uint8Array<ArrayBuffer>> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  let next = 3; // 1 catalog, 2 page tree, 3 info
  const alloc = () => ++next;
  const write = (chunk: string | Uint8Array) => {
    const bytes = typeof chunk === "string" ? enc.encode(chunk) : chunk;
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, body: string) => {
    offsets[n] = length;
    write(`${n} 0 obj\n${body}\nendobj\n`);
  };
  const stream = async (n: number, dict: string, data: Uint8Array) => {
    const z = await deflate(data);
    offsets[n] = length;
    write(`${n} 0 obj\n<< ${dict} /Length ${z.length} /Filter /FlateDecode >>\nstream\n`);
    write(z);
    write("\nendstream\nendobj\n");
  };
  // A binary comment on line 2 tells transfer tools the file is binary.
  write(new Uint8Array([...enc.encode("%PDF-1.4\n%"), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));

  const fontRefs: string[] = [];
  const fontObjects: (() => Promise<void>)[] = [];
  for (const f of o.fonts ?? []) {
    const [type0, cid, desc, file, cmap] = [alloc(), alloc(), alloc(), alloc(), alloc()];
    const name = `${subsetTag(f)}+${f.name}`;
    const k = 1000 / f.unitsPerEm;
    fontRefs.push(`/${f.resource} ${type0} 0 R`);
    fontObjects.push(async () => {
      object(
        type0,
        `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${cmap} 0 R >>`,
      );
      object(
        cid,
        `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${desc} 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [${f.widths.map(num).join(" ")}]] >>`,
      );
      object(
        desc,
        `<< /Type /FontDescriptor /FontName /${name} /Flags 4 /FontBBox [${f.bbox.map((v) => num(v * k)).join(" ")}] /ItalicAngle 0 /Ascent ${num(f.ascent * k)} /Descent ${num(f.descent * k)} /CapHeight ${num(f.capHeight * k)} /StemV 80 /FontFile2 ${file} 0 R >>`,
      );
      await stream(file, `/Length1 ${f.program.length}`, f.program);
      await stream(cmap, "", enc.encode(toUnicodeCMap(f.unicode)));
    });
  }
  const imageRefs: string[] = [];
  const imageObjects: (() => Promise<void>)[] = [];
  for (const img of o.images ?? []) {
    const n = alloc();
    imageRefs.push(`/${img.resource} ${n} 0 R`);
    imageObjects.push(() =>
      stream(
        n,
        `/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceCMYK /BitsPerComponent 8`,
        img.cmyk,
      ),
    );
  }
  for (const form of o.forms ?? []) {
    const n = alloc();
    imageRefs.push(`/${form.resource} ${n} 0 R`);
    imageObjects.push(() =>
      stream(n, `/Type /XObject /Subtype /Form /BBox ${box(form.bbox)}`, enc.encode(form.content)),
    );
  }
  const resources =
    `<< /Font << ${fontRefs.join(" ")} >>` +
    (imageRefs.length ? ` /XObject << ${imageRefs.join(" ")} >>` : "") +
    " /ProcSet [/PDF /Text /ImageC] >>";
  const pageRefs = pages.map(() => [alloc(), alloc()] as const);

  object(1, `<< /Type /Catalog /Pages 2 0 R /OutputIntents [${OUTPUT_INTENT}] >>`);
  object(
    2,
    `<< /Type /Pages /Kids [${pageRefs.map(([p]) => `${p} 0 R`).join(" ")}] /Count ${pages.length} >>`,
  );
  const date = pdfDate(o.createdAt);
  object(
    3,
    `<< /Title ${pdfText(o.title)} /Producer (qrbridge) /Creator (qrbridge print kit) /CreationDate (${date}) /ModDate (${date}) /Trapped /False /GTS_PDFXVersion (PDF/X-1a:2003) >>`,
  );
  for (const make of [...fontObjects, ...imageObjects]) await make();
  for (const [i, page] of pages.entries()) {
    const [n, contents] = pageRefs[i]!;
    const media: PdfBox = [0, 0, page.width, page.height];
    const trim = page.trimBox ?? media;
    object(
      n,
      `<< /Type /Page /Parent 2 0 R /MediaBox ${box(media)} /TrimBox ${box(trim)} /BleedBox ${box(page.bleedBox ?? trim)} /Resources ${resources} /Contents ${contents} 0 R >>`,
    );
    await stream(contents, "", enc.encode(page.content));
  }
  const size = next + 1;
  const xref = length;
  let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) table += `${String(offsets[n] ?? 0).padStart(10, "0")} 00000 n \n`;
  const id = await fileId(`${o.title}|${o.createdAt}|${length}`);
  write(
    `${table}trailer\n<< /Size ${size} /Root 1 0 R /Info 3 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`,
  );
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function fileId(seed: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * An sRGB colour as DeviceCMYK fill operands. Greys, black included, become black ink alone
 * (`0 0 0 1 k` for black: never a rich black); other colours take the plain grey-component
 * replacement (no ICC conversion: give a print shop the exact CMYK it needs for brand colours).
 *
 * @example
 * cmykFill([0, 0, 0]) // "0 0 0 1 k"
 * cmykFill([51, 51, 51]) // "0 0 0 0.8 k"
 */
export function cmykFill([r, g, b]: readonly number[]): string {
  return `${cmyk([r!, g!, b!]).map(num).join(" ")} k`;
}

/**
 * An sRGB colour (0–255) as CMYK fractions, grey-component replacement: greys are K alone.
 *
 * @example
 * cmyk([255, 0, 0]) // [0, 1, 1, 0]
 */
export function cmyk([r, g, b]: [number, number, number]): [number, number, number, number] {
  const [R, G, B] = [r / 255, g / 255, b / 255];
  const k = 1 - Math.max(R, G, B);
  if (k >= 1) return [0, 0, 0, 1];
  if (r === g && g === b) return [0, 0, 0, k];
  return [(1 - R - k) / (1 - k), (1 - G - k) / (1 - k), (1 - B - k) / (1 - k), k];
}
