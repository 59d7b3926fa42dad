/**
 * Types for the part of `qrcode` we use: its pure core (matrix builder), without the
 * renderers, which need `Buffer`/canvas and are not available in workerd.
 */
declare module "qrcode/lib/core/qrcode.js" {
  /** Square module matrix; `data[row * size + col]` is 1 for a dark module. */
  export interface BitMatrix {
    size: number;
    data: Uint8Array;
    reservedBit: Uint8Array;
    get(row: number, col: number): number;
  }

  export interface SegmentMode {
    id: "Numeric" | "Alphanumeric" | "Byte" | "Kanji";
    bit: number;
  }

  export interface Segment {
    mode: SegmentMode;
    data: string | Uint8Array;
  }

  export interface QRCodeSymbol {
    modules: BitMatrix;
    version: number;
    errorCorrectionLevel: { bit: number };
    maskPattern: number;
    segments: Segment[];
  }

  export interface CreateOptions {
    errorCorrectionLevel?: "L" | "M" | "Q" | "H";
    version?: number;
    maskPattern?: number;
  }

  export function create(text: string, options?: CreateOptions): QRCodeSymbol;

  const QRCodeCore: { create: typeof create };
  export default QRCodeCore;
}
