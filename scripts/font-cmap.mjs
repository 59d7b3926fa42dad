/**
 * A TrueType font's character map: code point → glyph id, from its `cmap` table (format 12, full
 * Unicode, when the font has one; else format 4, the BMP). Shared by the glyph packs' build
 * (scripts/build-fonts.mjs) and the test that checks the console's print notice against the
 * shaping fonts (test/unit/redteam-print-scripts.test.ts).
 *
 * @example
 * const cmap = cmapOf(readFileSync("NotoSans-Bold.ttf"));
 * cmap.get(0x41); // the glyph id of "A"
 */
export function cmapOf(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let cm;
  for (let i = 0; i < dv.getUint16(4); i++) {
    const o = 12 + 16 * i;
    if (String.fromCharCode(...buf.subarray(o, o + 4)) === "cmap") cm = dv.getUint32(o + 8);
  }
  if (cm === undefined) throw new Error("no cmap table");
  const cmap = new Map();
  const subtables = [];
  for (let i = 0; i < dv.getUint16(cm + 2); i++) subtables.push(cm + dv.getUint32(cm + 8 + 8 * i));
  const f12 = subtables.find((o) => dv.getUint16(o) === 12);
  if (f12 !== undefined) {
    for (let i = 0; i < dv.getUint32(f12 + 12); i++) {
      const [s, e, g] = [0, 4, 8].map((k) => dv.getUint32(f12 + 16 + 12 * i + k));
      for (let c = s; c <= e; c++) cmap.set(c, g + c - s);
    }
    return cmap;
  }
  const o = subtables.find((s) => dv.getUint16(s) === 4);
  const segs = dv.getUint16(o + 6) / 2;
  for (let i = 0; i < segs; i++) {
    const end = dv.getUint16(o + 14 + 2 * i);
    const start = dv.getUint16(o + 16 + 2 * segs + 2 * i);
    const delta = dv.getInt16(o + 16 + 4 * segs + 2 * i);
    const roAt = o + 16 + 6 * segs + 2 * i;
    const ro = dv.getUint16(roAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let g = ro === 0 ? c : dv.getUint16(roAt + ro + 2 * (c - start));
      if (ro !== 0 && g === 0) continue;
      g = (g + delta) & 0xffff;
      if (g) cmap.set(c, g);
    }
  }
  return cmap;
}
