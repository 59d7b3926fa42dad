/**
 * A small PNG reader for centre logos: the header alone to validate an upload
 * ({@link pngInfo}), and every non-interlaced PNG decoded to 8-bit RGBA ({@link decodePng}) for
 * the PNG and PDF renderers, which must composite the logo's pixels themselves. Inflated with
 * the Web `DecompressionStream`, so it runs in workerd and Node with no dependency.
 */

/** What the header says about a PNG. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

/** A decoded image: `rgba` has 4 bytes a pixel, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/**
 * The file is not a PNG this reader takes; the message says why, for a 400. Recognise it by
 * `name`: the print kit module has its own copy of this class.
 */
export class PngError extends Error {
  override name = "PngError";
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bit depths each colour type allows (PNG spec, table 11.1). */
const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Read a PNG's signature and header. Throws {@link PngError} for anything else.
 *
 * @example
 * pngInfo(bytes) // { width: 256, height: 128, bitDepth: 8, colourType: 6, interlaced: false }
 */
export function pngInfo(bytes: Uint8Array): PngInfo {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new PngError("not a PNG file (its first bytes are not the PNG signature)");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR")
    throw new PngError("PNG without a header chunk");
  const [bitDepth, colourType, , , interlace] = bytes.subarray(24, 29);
  const info = {
    width: v.getUint32(16),
    height: v.getUint32(20),
    bitDepth: bitDepth!,
    colourType: colourType!,
    interlaced: interlace === 1,
  };
  if (!DEPTHS[info.colourType]?.includes(info.bitDepth))
    throw new PngError(`unknown colour type ${info.colourType} / bit depth ${info.bitDepth}`);
  return info;
}

/**
 * A PNG's chunks after the signature, in file order, up to `IEND`. Throws {@link PngError}
 * when a chunk is cut short.
 *
 * @example
 * for (const { type, data } of pngChunks(bytes)) if (type === "PLTE") palette = data;
 */
export function* pngChunks(bytes: Uint8Array): Generator<{ type: string; data: Uint8Array }> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const len = v.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new PngError(`the PNG is truncated (in its ${type} chunk)`);
    yield { type, data };
    if (type === "IEND") return;
    pos += 12 + len;
  }
}

/**
 * Inflate the image data (the `IDAT` chunks' contents, in order), refusing more than `limit`
 * bytes: the image's own size. Deflate packs ~1,000:1, so a small file could otherwise unpack
 * to tens of MiB (a decompression bomb) and hold it all in memory; reading stops, and the
 * stream is cancelled, at the first byte past the limit.
 */
async function inflate(parts: Uint8Array[], limit: number): Promise<Uint8Array> {
  const reader = new Blob(parts as Uint8Array<ArrayBuffer>[])
    .stream()
    .pipeThrough(new DecompressionStream("deflate"))
    .getReader();
  // Chunks, not one buffer of `limit` bytes: the limit comes from the file's own header.
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        throw new PngError(
          `the PNG holds more image data than its ${limit}-byte picture (a decompression bomb?)`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof PngError) throw err;
    throw new PngError("the PNG's image data is corrupt");
  }
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * Decode a non-interlaced PNG of any colour type and depth to 8-bit RGBA (16-bit samples keep
 * their high byte; palette and grey transparency from `tRNS` applied). Throws
 * {@link PngError} for an interlaced, truncated or corrupt file.
 *
 * @example
 * const { width, height, rgba } = await decodePng(bytes);
 */
export async function decodePng(bytes: Uint8Array): Promise<RgbaImage> {
  const info = pngInfo(bytes);
  if (info.interlaced)
    throw new PngError("interlaced PNGs are not supported: save the logo without interlacing");
  const { width, height, bitDepth, colourType } = info;
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  for (const { type, data } of pngChunks(bytes)) {
    if (type === "IDAT") idat.push(data);
    else if (type === "PLTE") palette = data;
    else if (type === "tRNS") trns = data;
  }
  if (!idat.length) throw new PngError("the PNG has no image data");
  if (colourType === 3 && !palette) throw new PngError("a palette PNG without its palette");
  const bpp = Math.max(1, (CHANNELS[colourType]! * bitDepth) >> 3); // bytes a pixel, for filters
  const stride = Math.ceil((width * CHANNELS[colourType]! * bitDepth) / 8);
  const raw = await inflate(idat, (stride + 1) * height);
  if (raw.length < (stride + 1) * height) throw new PngError("the PNG's image data is truncated");
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const up = y ? rows.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp]! : 0;
      const b = up[i]!;
      const c = i >= bpp ? up[i - bpp]! : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (pred === undefined) throw new PngError(`unknown PNG row filter ${filter}`);
      out[i] = (src[i]! + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  const max = (1 << bitDepth) - 1;
  /** Sample `k` of pixel `x` in row `y`, as stored (before scaling to 8 bits). */
  const sample = (y: number, x: number, k: number) => {
    const n = CHANNELS[colourType]!;
    const row = y * stride;
    if (bitDepth === 8) return rows[row + x * n + k]!;
    if (bitDepth === 16)
      return (rows[row + (x * n + k) * 2]! << 8) | rows[row + (x * n + k) * 2 + 1]!;
    const bit = (x * n + k) * bitDepth;
    return (rows[row + (bit >> 3)]! >> (8 - bitDepth - (bit & 7))) & max;
  };
  const to8 = (s: number) => (bitDepth === 16 ? s >> 8 : Math.round((s * 255) / max));
  const tv = trns && trns.length >= 2 ? (trns[0]! << 8) | trns[1]! : -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (colourType === 3) {
        const i = sample(y, x, 0);
        if (3 * i + 2 >= palette!.length) throw new PngError("a pixel outside the palette");
        rgba.set(palette!.subarray(3 * i, 3 * i + 3), o);
        rgba[o + 3] = trns && i < trns.length ? trns[i]! : 255;
      } else if (colourType === 0 || colourType === 4) {
        const g = sample(y, x, 0);
        rgba.fill(to8(g), o, o + 3);
        rgba[o + 3] = colourType === 4 ? to8(sample(y, x, 1)) : g === tv ? 0 : 255;
      } else {
        for (let k = 0; k < 3; k++) rgba[o + k] = to8(sample(y, x, k));
        rgba[o + 3] = colourType === 6 ? to8(sample(y, x, 3)) : 255;
      }
    }
  return { width, height, rgba };
}
