/**
 * TrueType for the print kit: a subset font program built from the glyphs a file uses (what a
 * PDF embeds as FontFile2, glyph ids 0…n in order), and a glyph's outline as an SVG path (what
 * the SVG print files draw). Only simple glyphs without hinting, which is what the glyph packs
 * hold (scripts/build-fonts.mjs checks it).
 */

/** The metrics a subset font carries over from its face (font units). */
export interface SubsetMetrics {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  bbox: [number, number, number, number];
}

const tagValue = (tag: string) =>
  ((tag.charCodeAt(0) << 24) |
    (tag.charCodeAt(1) << 16) |
    (tag.charCodeAt(2) << 8) |
    tag.charCodeAt(3)) >>>
  0;

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const dv = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + dv.getUint32(i)) >>> 0;
  return sum;
}

function table(size: number, fill: (dv: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(new DataView(bytes.buffer));
  return bytes;
}

/** Points and contours of a simple glyph (0 for an empty one). */
function glyphCounts(outline: Uint8Array): { contours: number; points: number } {
  if (outline.length < 10) return { contours: 0, points: 0 };
  const dv = new DataView(outline.buffer, outline.byteOffset, outline.byteLength);
  const contours = dv.getInt16(0);
  if (contours <= 0) return { contours: 0, points: 0 };
  return { contours, points: dv.getUint16(10 + 2 * (contours - 1)) + 1 };
}

/**
 * A TrueType font program of `glyphs` (glyph id = index; put .notdef first), with the tables a
 * PDF reader needs for a CIDFontType2 (head, hhea, maxp, hmtx, loca, glyf, post): no cmap, the
 * PDF maps codes to glyph ids itself.
 *
 * @example
 * const file = subsetTrueType([notdef, ...used], face); // embed as /FontFile2
 */
export function subsetTrueType(
  glyphs: { advance: number; outline: Uint8Array }[],
  m: SubsetMetrics,
): Uint8Array {
  const n = glyphs.length;
  const offsets: number[] = [];
  let glyfSize = 0;
  let maxPoints = 0;
  let maxContours = 0;
  let maxAdvance = 0;
  for (const g of glyphs) {
    offsets.push(glyfSize);
    glyfSize += (g.outline.length + 3) & ~3;
    const c = glyphCounts(g.outline);
    maxPoints = Math.max(maxPoints, c.points);
    maxContours = Math.max(maxContours, c.contours);
    maxAdvance = Math.max(maxAdvance, g.advance);
  }
  offsets.push(glyfSize);
  const glyf = new Uint8Array(glyfSize);
  for (const [i, g] of glyphs.entries()) glyf.set(g.outline, offsets[i]!);
  const loca = table(4 * (n + 1), (dv) => {
    for (const [i, o] of offsets.entries()) dv.setUint32(4 * i, o);
  });
  const hmtx = table(4 * n, (dv) => {
    for (const [i, g] of glyphs.entries()) {
      dv.setUint16(4 * i, g.advance);
      const lsb = g.outline.length >= 10 ? (g.outline[2]! << 8) | g.outline[3]! : 0;
      dv.setInt16(4 * i + 2, (lsb << 16) >> 16);
    }
  });
  const [xMin, yMin, xMax, yMax] = m.bbox;
  const head = table(54, (dv) => {
    dv.setUint32(0, 0x00010000);
    dv.setUint32(4, 0x00010000);
    dv.setUint32(12, 0x5f0f3cf5);
    dv.setUint16(16, 0x000b);
    dv.setUint16(18, m.unitsPerEm);
    dv.setInt16(36, xMin);
    dv.setInt16(38, yMin);
    dv.setInt16(40, xMax);
    dv.setInt16(42, yMax);
    dv.setUint16(46, 8);
    dv.setInt16(48, 2);
    dv.setInt16(50, 1); // long loca offsets
  });
  const hhea = table(36, (dv) => {
    dv.setUint32(0, 0x00010000);
    dv.setInt16(4, m.ascent);
    dv.setInt16(6, m.descent);
    dv.setUint16(10, maxAdvance);
    dv.setInt16(16, xMax);
    dv.setInt16(18, 1);
    dv.setUint16(34, n);
  });
  const maxp = table(32, (dv) => {
    dv.setUint32(0, 0x00010000);
    dv.setUint16(4, n);
    dv.setUint16(6, maxPoints);
    dv.setUint16(8, maxContours);
    dv.setUint16(14, 2); // maxZones
  });
  const post = table(32, (dv) => dv.setUint32(0, 0x00030000));
  return sfnt({ glyf, head, hhea, hmtx, loca, maxp, post });
}

/** Tables into an sfnt file, directory sorted by tag, checksums and head's adjustment set. */
function sfnt(tables: Record<string, Uint8Array>): Uint8Array {
  const tags = Object.keys(tables).sort();
  const dirSize = 12 + 16 * tags.length;
  let size = dirSize;
  for (const t of tags) size += (tables[t]!.length + 3) & ~3;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const pow = 2 ** Math.floor(Math.log2(tags.length));
  dv.setUint32(0, 0x00010000);
  dv.setUint16(4, tags.length);
  dv.setUint16(6, pow * 16);
  dv.setUint16(8, Math.log2(pow));
  dv.setUint16(10, tags.length * 16 - pow * 16);
  let at = dirSize;
  let headAt = 0;
  tags.forEach((t, i) => {
    const bytes = tables[t]!;
    dv.setUint32(12 + 16 * i, tagValue(t));
    dv.setUint32(16 + 16 * i, checksum(bytes));
    dv.setUint32(20 + 16 * i, at);
    dv.setUint32(24 + 16 * i, bytes.length);
    if (t === "head") headAt = at;
    out.set(bytes, at);
    at += (bytes.length + 3) & ~3;
  });
  dv.setUint32(headAt + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

/**
 * A simple glyph's outline as SVG path data in font units (y up, as the font has it): each
 * contour's on-curve points joined by lines and quadratic curves, implied on-curve points
 * between two off-curve ones.
 *
 * @example
 * const d = glyphPath(glyph.outline); // "M100 0L500 0Q…Z"
 * const next = glyphPath(other.outline, 560); // moved right by the first glyph's advance
 */
export function glyphPath(outline: Uint8Array, dx = 0): string {
  if (outline.length < 10) return "";
  const dv = new DataView(outline.buffer, outline.byteOffset, outline.byteLength);
  const contours = dv.getInt16(0);
  if (contours <= 0) return "";
  const ends: number[] = [];
  for (let i = 0; i < contours; i++) ends.push(dv.getUint16(10 + 2 * i));
  const points = ends.at(-1)! + 1;
  let at = 10 + 2 * contours;
  at += 2 + dv.getUint16(at); // instructions
  const flags = new Uint8Array(points);
  for (let i = 0; i < points; ) {
    const f = outline[at++]!;
    flags[i++] = f;
    if (f & 8) for (let r = outline[at++]!; r > 0; r--) flags[i++] = f;
  }
  const read = (short: number, same: number) => {
    const out = new Int32Array(points);
    let v = 0;
    for (let i = 0; i < points; i++) {
      const f = flags[i]!;
      if (f & short) v += f & same ? outline[at++]! : -outline[at++]!;
      else if (!(f & same)) {
        v += ((outline[at]! << 24) >> 16) | outline[at + 1]!;
        at += 2;
      }
      out[i] = v;
    }
    return out;
  };
  const xs = read(2, 16).map((x) => x + dx);
  const ys = read(4, 32);
  let d = "";
  let start = 0;
  for (const end of ends) {
    d += contourPath(xs, ys, flags, start, end);
    start = end + 1;
  }
  return d;
}

function contourPath(
  xs: Int32Array,
  ys: Int32Array,
  flags: Uint8Array,
  s: number,
  e: number,
): string {
  const n = e - s + 1;
  if (n < 2) return "";
  const on = (i: number) => (flags[s + (i % n)]! & 1) === 1;
  const pt = (i: number): [number, number] => [xs[s + (i % n)]!, ys[s + (i % n)]!];
  const mid = (a: [number, number], b: [number, number]): [number, number] => [
    (a[0] + b[0]) / 2,
    (a[1] + b[1]) / 2,
  ];
  // Start on an on-curve point (or the midpoint of two off-curve ones).
  let first = 0;
  while (first < n && !on(first)) first++;
  const startPt = first < n ? pt(first) : mid(pt(0), pt(1));
  if (first === n) first = 0;
  let d = `M${startPt[0]} ${startPt[1]}`;
  let control: [number, number] | null = first === 0 && !on(0) ? pt(0) : null;
  for (let k = 1; k <= n; k++) {
    const i = first + k;
    const p = pt(i);
    if (on(i)) {
      d += control ? `Q${control[0]} ${control[1]} ${p[0]} ${p[1]}` : `L${p[0]} ${p[1]}`;
      control = null;
    } else if (control) {
      const m = mid(control, p);
      d += `Q${control[0]} ${control[1]} ${m[0]} ${m[1]}`;
      control = p;
    } else control = p;
  }
  if (control) d += `Q${control[0]} ${control[1]} ${startPt[0]} ${startPt[1]}`;
  return `${d}Z`;
}
