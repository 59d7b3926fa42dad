/**
 * A minimal PNG encoder for two-colour images (QR codes): 1-bit greyscale or a 2-entry
 * palette, IDAT deflated with the Web `CompressionStream("deflate")` (zlib format, which is
 * what PNG wants; available in workerd and Node ≥ 18). Pure: no bindings, no Buffer.
 */

/** RGBA colour, each channel 0..255. */
export type Rgba = readonly [number, number, number, number];

/**
 * A bilevel image of cells: `bits[y * width + x]` is 1 for foreground. Each cell becomes
 * `scale`×`scale` pixels, and `margin` background cells surround it on every side.
 */
export interface BilevelImage {
  width: number;
  height: number;
  bits: Uint8Array;
  scale?: number;
  margin?: number;
}

/**
 * CRC-32 (ISO-HDLC, the one PNG and zip use), bit by bit: a 256-entry table saved under 2 % of a
 * PNG's instructions (docs/performance.md, "What each cache saves"). Pass a previous result as
 * `crc` to continue over several buffers.
 *
 * @example
 * crc32(new TextEncoder().encode("123456789")).toString(16); // "cbf43926"
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * zlib-deflate bytes with the Web CompressionStream.
 *
 * @example
 * const z = await deflate(new Uint8Array(1000)); // 78 9c … (a few bytes)
 */
export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream("deflate");
  const writer = cs.writable.getWriter();
  const done = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  const reader = cs.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
    total += value.byteLength;
  }
  await done;
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BLACK_ON_WHITE = (fg: Rgba, bg: Rgba) =>
  fg.every((v, i) => v === (i === 3 ? 255 : 0)) && bg.every((v) => v === 255);

/**
 * Encode a bilevel image as a 1-bit PNG: greyscale (colour type 0) for opaque black on white,
 * otherwise a 2-entry palette (colour type 3, index 0 = background, 1 = foreground) with a
 * `tRNS` chunk when a colour is not opaque. The first pixel row of each cell row is stored
 * unfiltered, the `scale - 1` copies below it with filter Up (all zero bytes): less to build,
 * less to deflate.
 *
 * @example
 * const png = await encodeBilevelPng({ width: 2, height: 1, bits: Uint8Array.of(1, 0), scale: 4 });
 */
export async function encodeBilevelPng(
  img: BilevelImage,
  fg: Rgba = [0, 0, 0, 255],
  bg: Rgba = [255, 255, 255, 255],
): Promise<Uint8Array> {
  const { bits } = img;
  const scale = img.scale ?? 1;
  const margin = img.margin ?? 0;
  const width = (img.width + 2 * margin) * scale;
  const height = (img.height + 2 * margin) * scale;
  const grey = BLACK_ON_WHITE(fg, bg);
  const stride = 1 + ((width + 7) >> 3); // filter byte, then pixels packed MSB first
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < img.height + 2 * margin; y++) {
    const at = y * scale * stride;
    const cy = y - margin;
    if (cy >= 0 && cy < img.height) {
      for (let cx = 0; cx < img.width; cx++) {
        if (bits[cy * img.width + cx] !== 1) continue;
        const end = (cx + margin + 1) * scale;
        for (let p = (cx + margin) * scale; p < end; p++)
          raw[at + 1 + (p >> 3)]! |= 0x80 >> (p & 7);
      }
    }
    // In 1-bit greyscale 0 is black, so invert: foreground 0, background 1.
    if (grey) for (let i = at + 1; i < at + stride; i++) raw[i]! ^= 0xff;
    for (let r = 1; r < scale; r++) raw[at + r * stride] = 2; // Up: same as the row above
  }
  const ihdr = header(width, height, grey ? 0 : 3, 1);
  const parts = [Uint8Array.from(SIGNATURE), chunk("IHDR", ihdr)];
  if (!grey) {
    parts.push(chunk("PLTE", Uint8Array.of(bg[0], bg[1], bg[2], fg[0], fg[1], fg[2])));
    if (bg[3] !== 255 || fg[3] !== 255) parts.push(chunk("tRNS", Uint8Array.of(bg[3], fg[3])));
  }
  parts.push(chunk("IDAT", await deflate(raw)), chunk("IEND", new Uint8Array(0)));
  return join(parts);
}

/**
 * Encode an image of palette indices (one byte a pixel) as an 8-bit indexed PNG: what a styled
 * QR (background, modules, finders in their own colours) needs.
 *
 * @example
 * const png = await encodeIndexedPng(2, 1, Uint8Array.of(0, 1), [[255, 255, 255, 255], [0, 0, 0, 255]]);
 */
export async function encodeIndexedPng(
  width: number,
  height: number,
  pixels: Uint8Array,
  palette: readonly Rgba[],
): Promise<Uint8Array> {
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", header(width, height, 3)),
    chunk("PLTE", Uint8Array.from(palette.flatMap((c) => [c[0], c[1], c[2]]))),
  ];
  if (palette.some((c) => c[3] !== 255))
    parts.push(chunk("tRNS", Uint8Array.from(palette.map((c) => c[3]))));
  parts.push(chunk("IDAT", await deflate(unfilteredRows(pixels, width, height))));
  parts.push(chunk("IEND", new Uint8Array(0)));
  return join(parts);
}

/**
 * Encode 8-bit RGBA pixels (4 bytes a pixel, row by row) as a PNG (colour type 6), rows
 * unfiltered: what a code with a logo (any colours in its centre) needs.
 *
 * @example
 * const png = await encodeRgbaPng(1, 1, Uint8Array.of(255, 0, 0, 255));
 */
export async function encodeRgbaPng(
  width: number,
  height: number,
  rgba: Uint8Array,
): Promise<Uint8Array> {
  return join([
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", header(width, height, 6)),
    chunk("IDAT", await deflate(unfilteredRows(rgba, width * 4, height))),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * The IHDR of an image: its colour type (0 grey, 3 indexed, 6 RGBA) and bit depth; deflate,
 * filter method 0, no interlace.
 */
function header(width: number, height: number, colourType: 0 | 3 | 6, depth = 8): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  return ihdr;
}

/** The rows of `data` (`stride` bytes each), each behind its filter byte 0 (none). */
function unfilteredRows(data: Uint8Array, stride: number, height: number): Uint8Array {
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
