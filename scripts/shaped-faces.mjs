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

/**
 * A feature no shaper turns on (`aalt`, access all alternates: for a font menu), whose slot in a
 * language system can hold a feature the system lost.
 */
const NEVER_APPLIED = new Set(["aalt"]);

/**
 * Features HarfBuzz's shapers apply without being asked (the Indic, USE and Arabic ones'
 * basic and presentation features): only these are given back to a language system, never an
 * optional one (`salt`, `ss01`, `ordn`…) a font leaves out of a system on purpose.
 */
const APPLIED = new Set(
  (
    "ccmp locl rlig calt clig liga rclt nukt akhn rphf rkrf pref blwf abvf half pstf vatu cjct " +
    "init medi fina isol med2 fin2 fin3 pres abvs blws psts haln"
  ).split(" "),
);

/**
 * `font` (a TrueType file, copied) with each GSUB language system given the features of its
 * script's default system that it lacks, in the slots of features shaping never applies: Noto
 * Sans Devanagari's Marathi and Nepali systems (`MAR `, `NEP `) list `locl` (Marathi's ल and श,
 * Nepali's झ and digits) but not `blwf`, so HarfBuzz shaping a Marathi text draws `ट्र` in
 * `महाराष्ट्र` as ट्‌ and र with a visible virama, where Hindi's (the default system) has the ra
 * below. Done in place (an index for an index): the tables keep their sizes and offsets.
 * Returns the font and the language systems changed, as `dev2/MAR +blwf`.
 */
export function withDefaultFeatures(font) {
  const out = Buffer.from(font);
  const changed = [];
  let gsub = -1;
  for (let i = 0; i < out.readUInt16BE(4); i++)
    if (out.toString("latin1", 12 + 16 * i, 16 + 16 * i) === "GSUB")
      gsub = out.readUInt32BE(20 + 16 * i);
  if (gsub < 0) return { font: out, changed };
  const scripts = gsub + out.readUInt16BE(gsub + 4);
  const features = gsub + out.readUInt16BE(gsub + 6);
  const tagOf = (index) =>
    out.toString("latin1", features + 2 + 6 * index, features + 6 + 6 * index);
  const indices = (langSys) =>
    Array.from({ length: out.readUInt16BE(langSys + 4) }, (_, k) => ({
      at: langSys + 6 + 2 * k,
      index: out.readUInt16BE(langSys + 6 + 2 * k),
    }));
  for (let s = 0; s < out.readUInt16BE(scripts); s++) {
    const record = scripts + 2 + 6 * s;
    const script = scripts + out.readUInt16BE(record + 4);
    const defaultOffset = out.readUInt16BE(script);
    if (!defaultOffset) continue;
    const defaults = indices(script + defaultOffset);
    for (let l = 0; l < out.readUInt16BE(script + 2); l++) {
      const langRecord = script + 4 + 6 * l;
      const own = indices(script + out.readUInt16BE(langRecord + 4));
      const tags = new Set(own.map((f) => tagOf(f.index)));
      const free = own.filter((f) => NEVER_APPLIED.has(tagOf(f.index)));
      for (const f of defaults) {
        const tag = tagOf(f.index);
        if (tags.has(tag) || !APPLIED.has(tag) || free.length === 0) continue;
        out.writeUInt16BE(f.index, free.shift().at);
        tags.add(tag);
        changed.push(
          `${out.toString("latin1", record, record + 4)}/${out.toString("latin1", langRecord, langRecord + 4).trim()} +${tag}`,
        );
      }
    }
  }
  return { font: out, changed };
}
