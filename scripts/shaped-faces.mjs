// The pack of a face whose text HarfBuzz shapes (Devanagari: src/store/print-shaping.ts), built
// by scripts/build-fonts.mjs. Shaping gives glyph ids, not characters: half of Noto Sans
// Devanagari's glyphs (half forms, conjuncts, the reph, the i sign's widths) have no code point.
// So the pack holds every glyph by id, at Plane 16 code points (U+100000 + glyph id, Private Use:
// no text can name one, and print-text.ts draws a name's own as a box), five blocks of 256, and
// beside them the font HarfBuzz shapes with: its tables but the outlines (no glyf, loca,
// hinting, name or post), 43 % of the bold font, shaping 16 test words exactly as the whole
// font does (bench/harfbuzz-spike.mjs).

/** Where a glyph id of a shaped face sits in its pack: src/core/glyph-pack.ts GLYPH_ID_BASE. */
export const GLYPH_ID_BASE = 0x100000;

/** The tables HarfBuzz reads to shape (and the metrics it positions with). */
const SHAPING_TABLES = new Set([
  "cmap",
  "GSUB",
  "GPOS",
  "GDEF",
  "hmtx",
  "hhea",
  "maxp",
  "head",
  "OS/2",
]);

/** `font` (a TrueType file) with only `keep`'s tables (checksums kept: HarfBuzz does not check them). */
export function withTables(font, keep = SHAPING_TABLES) {
  const tables = [];
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const o = 12 + 16 * i;
    const tag = font.toString("latin1", o, o + 4);
    const at = font.readUInt32BE(o + 8);
    if (keep.has(tag))
      tables.push({
        tag,
        sum: font.readUInt32BE(o + 4),
        data: font.subarray(at, at + font.readUInt32BE(o + 12)),
      });
  }
  const dir = Buffer.alloc(12 + 16 * tables.length);
  font.copy(dir, 0, 0, 12);
  dir.writeUInt16BE(tables.length, 4);
  const parts = [];
  let offset = dir.length;
  tables.forEach((t, i) => {
    dir.write(t.tag, 12 + 16 * i, "latin1");
    dir.writeUInt32BE(t.sum, 16 + 16 * i);
    dir.writeUInt32BE(offset, 20 + 16 * i);
    dir.writeUInt32BE(t.data.length, 24 + 16 * i);
    const pad = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    parts.push(t.data, pad);
    offset += t.data.length + pad.length;
  });
  return Buffer.concat([dir, ...parts]);
}

/**
 * Every glyph of `font` by id, as pack entries `{cp: GLYPH_ID_BASE + id, advance, glyph}`,
 * the outlines made plain by `plainGlyph` (composites flattened, no hinting).
 */
export function glyphsById(font, plainGlyph) {
  const out = [];
  for (let g = 0; g < font.glyphs; g++)
    out.push({ cp: GLYPH_ID_BASE + g, advance: font.advance(g), glyph: plainGlyph(font, g) });
  return out;
}
