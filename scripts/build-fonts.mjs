#!/usr/bin/env node
// Builds the print kit's glyph packs (build/assets/print-fonts/) from the Noto Sans TrueType
// fonts of the @expo-google-fonts packages (SIL OFL 1.1: embedding and redistribution allowed):
// per face, `face.json` (metrics, the blocks it covers, .notdef) and one `<block>.bin` per 256
// code points holding each character's advance and raw `glyf` outline. The Worker reads them
// through the PRINT_FONTS assets binding and embeds only the glyphs a file uses, so no font
// counts against the bundle's budget. Runs before `npm run dev`, `npm test` and deploys; it
// skips the work when the packs are already built from the same font files.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const OUT = "build/assets/print-fonts/1";
const quiet = process.argv.includes("--quiet");

// Face id → package file, PostScript name and the code point ranges taken (default: all).
// Mono sets the manual code only (ASCII); Hebrew and Arabic set only their own letters (the
// CJK faces set the Latin, digits and punctuation around them), Arabic with its presentation
// forms (FB50–FDFF, FE70–FEFF): src/core/arabic-shaping.ts picks a letter's joined form there.
const HEBREW = [
  [0x0590, 0x05ff],
  [0xfb1d, 0xfb4f],
];
const ARABIC = [
  [0x0600, 0x06ff],
  [0xfb50, 0xfdff],
  [0xfe70, 0xfeff],
];
const FACES = {
  "sc-400": ["noto-sans-sc", "400Regular/NotoSansSC_400Regular.ttf", "NotoSansSC-Regular"],
  "sc-700": ["noto-sans-sc", "700Bold/NotoSansSC_700Bold.ttf", "NotoSansSC-Bold"],
  "tc-400": ["noto-sans-tc", "400Regular/NotoSansTC_400Regular.ttf", "NotoSansTC-Regular"],
  "tc-700": ["noto-sans-tc", "700Bold/NotoSansTC_700Bold.ttf", "NotoSansTC-Bold"],
  "jp-400": ["noto-sans-jp", "400Regular/NotoSansJP_400Regular.ttf", "NotoSansJP-Regular"],
  "jp-700": ["noto-sans-jp", "700Bold/NotoSansJP_700Bold.ttf", "NotoSansJP-Bold"],
  "kr-400": ["noto-sans-kr", "400Regular/NotoSansKR_400Regular.ttf", "NotoSansKR-Regular"],
  "kr-700": ["noto-sans-kr", "700Bold/NotoSansKR_700Bold.ttf", "NotoSansKR-Bold"],
  "mono-700": [
    "noto-sans-mono",
    "700Bold/NotoSansMono_700Bold.ttf",
    "NotoSansMono-Bold",
    [[0x20, 0x7e]],
  ],
  "he-400": [
    "noto-sans-hebrew",
    "400Regular/NotoSansHebrew_400Regular.ttf",
    "NotoSansHebrew-Regular",
    HEBREW,
  ],
  "he-700": [
    "noto-sans-hebrew",
    "700Bold/NotoSansHebrew_700Bold.ttf",
    "NotoSansHebrew-Bold",
    HEBREW,
  ],
  "ar-400": [
    "noto-sans-arabic",
    "400Regular/NotoSansArabic_400Regular.ttf",
    "NotoSansArabic-Regular",
    ARABIC,
  ],
  "ar-700": [
    "noto-sans-arabic",
    "700Bold/NotoSansArabic_700Bold.ttf",
    "NotoSansArabic-Bold",
    ARABIC,
  ],
};

function fontPath(pkg, file) {
  return join(dirname(require.resolve(`@expo-google-fonts/${pkg}/package.json`)), file);
}

/** The tables of a TrueType font, and readers over them. */
function parse(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tables = {};
  for (let i = 0; i < dv.getUint16(4); i++) {
    const o = 12 + 16 * i;
    tables[buf.toString("latin1", o, o + 4)] = dv.getUint32(o + 8);
  }
  const t = (tag) => {
    if (tables[tag] === undefined) throw new Error(`no ${tag} table`);
    return tables[tag];
  };
  const glyphs = dv.getUint16(t("maxp") + 4);
  const longLoca = dv.getInt16(t("head") + 50) === 1;
  const loca = (g) =>
    longLoca ? dv.getUint32(t("loca") + 4 * g) : 2 * dv.getUint16(t("loca") + 2 * g);
  const longMetrics = dv.getUint16(t("hhea") + 34);
  const advance = (g) => dv.getUint16(t("hmtx") + 4 * Math.min(g, longMetrics - 1));
  const glyph = (g) => buf.subarray(t("glyf") + loca(g), t("glyf") + loca(g + 1));
  // cmap format 12 (full Unicode), else format 4 (BMP).
  const cmap = new Map();
  const cm = t("cmap");
  const subtables = [];
  for (let i = 0; i < dv.getUint16(cm + 2); i++) subtables.push(cm + dv.getUint32(cm + 8 + 8 * i));
  const f12 = subtables.find((o) => dv.getUint16(o) === 12);
  if (f12 !== undefined) {
    for (let i = 0; i < dv.getUint32(f12 + 12); i++) {
      const [s, e, g] = [0, 4, 8].map((k) => dv.getUint32(f12 + 16 + 12 * i + k));
      for (let c = s; c <= e; c++) cmap.set(c, g + c - s);
    }
  } else {
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
  }
  const head = t("head");
  const os2 = tables["OS/2"];
  const metrics = {
    unitsPerEm: dv.getUint16(head + 18),
    bbox: [0, 2, 4, 6].map((k) => dv.getInt16(head + 36 + k)),
    ascent: os2 ? dv.getInt16(os2 + 68) : dv.getInt16(t("hhea") + 4),
    descent: os2 ? dv.getInt16(os2 + 70) : dv.getInt16(t("hhea") + 6),
    capHeight: os2 && dv.getUint16(os2) >= 2 ? dv.getInt16(os2 + 88) : 700,
  };
  return { glyphs, glyph, advance, cmap, metrics };
}

/** A simple glyph's contours as points `{x, y, on}` (empty for an empty glyph). */
function simplePoints(buf) {
  if (buf.length < 10) return [];
  const contours = buf.readInt16BE(0);
  const ends = [];
  for (let i = 0; i < contours; i++) ends.push(buf.readUInt16BE(10 + 2 * i));
  const n = ends.length ? ends.at(-1) + 1 : 0;
  let at = 10 + 2 * contours;
  at += 2 + buf.readUInt16BE(at);
  const flags = [];
  while (flags.length < n) {
    const f = buf[at++];
    flags.push(f);
    if (f & 8) for (let r = buf[at++]; r > 0; r--) flags.push(f);
  }
  const coords = (short, same) => {
    let v = 0;
    return flags.map((f) => {
      if (f & short) v += f & same ? buf[at++] : -buf[at++];
      else if (!(f & same)) {
        v += buf.readInt16BE(at);
        at += 2;
      }
      return v;
    });
  };
  const xs = coords(2, 16);
  const ys = coords(4, 32);
  const out = [];
  let start = 0;
  for (const end of ends) {
    const c = [];
    for (let i = start; i <= end; i++) c.push({ x: xs[i], y: ys[i], on: (flags[i] & 1) === 1 });
    out.push(c);
    start = end + 1;
  }
  return out;
}

/** A glyph's contours, its composite components placed (offsets and scales applied). */
function glyphContours(font, g, depth = 0) {
  const buf = font.glyph(g);
  if (buf.length < 10) return [];
  if (buf.readInt16BE(0) >= 0) return simplePoints(buf);
  if (depth > 8) throw new Error(`glyph ${g}: components nest too deep`);
  const out = [];
  let at = 10;
  for (let more = true; more; ) {
    const flags = buf.readUInt16BE(at);
    const component = buf.readUInt16BE(at + 2);
    at += 4;
    if (!(flags & 2)) throw new Error(`glyph ${g}: a component placed by matching points`);
    const [dx, dy] =
      flags & 1
        ? [buf.readInt16BE(at), buf.readInt16BE(at + 2)]
        : [buf.readInt8(at), buf.readInt8(at + 1)];
    at += flags & 1 ? 4 : 2;
    const f2 = (o) => buf.readInt16BE(o) / 16384;
    let [a, b, c, d] = [1, 0, 0, 1];
    if (flags & 8) {
      a = d = f2(at);
      at += 2;
    } else if (flags & 0x40) {
      [a, d] = [f2(at), f2(at + 2)];
      at += 4;
    } else if (flags & 0x80) {
      [a, b, c, d] = [f2(at), f2(at + 2), f2(at + 4), f2(at + 6)];
      at += 8;
    }
    for (const contour of glyphContours(font, component, depth + 1))
      out.push(
        contour.map((p) => ({
          x: Math.round(a * p.x + c * p.y + dx),
          y: Math.round(b * p.x + d * p.y + dy),
          on: p.on,
        })),
      );
    more = (flags & 0x20) !== 0;
  }
  return out;
}

/** Contours as a simple glyph without instructions (every coordinate a 2-byte delta). */
function encodeSimple(contours) {
  const points = contours.flat();
  if (points.length === 0) return Buffer.alloc(0);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const out = Buffer.alloc(10 + 2 * contours.length + 2 + points.length * 5);
  out.writeInt16BE(contours.length, 0);
  const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  for (const [i, v] of bbox.entries()) out.writeInt16BE(v, 2 + 2 * i);
  let at = 10;
  let end = -1;
  for (const c of contours) {
    end += c.length;
    out.writeUInt16BE(end, at);
    at += 2;
  }
  out.writeUInt16BE(0, at); // no instructions
  at += 2;
  for (const p of points) out[at++] = p.on ? 1 : 0;
  for (const v of [xs, ys]) {
    let last = 0;
    for (const n of v) {
      out.writeInt16BE(n - last, at);
      at += 2;
      last = n;
    }
  }
  return out.subarray(0, at);
}

/** Glyph `g` as the packs store it: as it is when simple and unhinted, else flattened. */
function plainGlyph(font, g) {
  const buf = font.glyph(g);
  if (buf.length < 10) return buf;
  const contours = buf.readInt16BE(0);
  if (contours >= 0 && buf.readUInt16BE(10 + 2 * contours) === 0) return buf;
  return encodeSimple(glyphContours(font, g));
}

/** One block's file: "QBG1", count, then {cp u32, advance u16, length u16, offset u32} and the outlines. */
function blockFile(entries) {
  const data = Buffer.concat(entries.map((e) => e.glyph));
  const out = Buffer.alloc(8 + 12 * entries.length + data.length);
  out.write("QBG1", 0, "latin1");
  out.writeUInt16BE(entries.length, 4);
  let offset = 0;
  entries.forEach((e, i) => {
    const at = 8 + 12 * i;
    if (e.glyph.length > 0xffff) throw new Error(`glyph of U+${e.cp.toString(16)} too long`);
    out.writeUInt32BE(e.cp, at);
    out.writeUInt16BE(e.advance, at + 4);
    out.writeUInt16BE(e.glyph.length, at + 6);
    out.writeUInt32BE(offset, at + 8);
    offset += e.glyph.length;
  });
  data.copy(out, 8 + 12 * entries.length);
  return out;
}

function buildFace(id, [pkg, file, name, ranges = [[0x20, 0x10ffff]]]) {
  const font = parse(readFileSync(fontPath(pkg, file)));
  const blocks = new Map();
  for (const [cp, g] of font.cmap) {
    if (!ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) continue;
    // A subset holds each glyph on its own (no components to renumber) and without hinting
    // (no fpgm/prep to run it): composite or hinted glyphs (the Arabic and Hebrew faces have
    // both) are flattened into plain outlines.
    const glyph = plainGlyph(font, g);
    const block = cp >> 8;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block).push({ cp, advance: font.advance(g), glyph });
  }
  mkdirSync(join(OUT, id), { recursive: true });
  for (const [block, entries] of blocks) {
    entries.sort((a, b) => a.cp - b.cp);
    writeFileSync(join(OUT, id, `${block.toString(16)}.bin`), blockFile(entries));
  }
  const notdef = plainGlyph(font, 0);
  const face = {
    id,
    name,
    ...font.metrics,
    blocks: [...blocks.keys()].sort((a, b) => a - b),
    notdef: { advance: font.advance(0), glyph: Buffer.from(notdef).toString("base64") },
  };
  writeFileSync(join(OUT, id, "face.json"), JSON.stringify(face));
  return blocks.size;
}

// Skip when built from the same files (their paths, sizes and mtimes).
const stamp = createHash("sha256")
  .update(
    JSON.stringify(
      Object.entries(FACES).map(([id, [pkg, file]]) => {
        const s = statSync(fontPath(pkg, file));
        return [id, file, s.size, s.mtimeMs];
      }),
    ),
  )
  .update(readFileSync(new URL(import.meta.url)))
  .digest("hex");
const stampFile = join(OUT, "stamp");
if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  if (!quiet) console.log(`qrbridge: print fonts up to date (${OUT})`);
  process.exit(0);
}
rmSync(OUT, { recursive: true, force: true });
let files = 0;
for (const [id, spec] of Object.entries(FACES)) files += buildFace(id, spec) + 1;
writeFileSync(stampFile, stamp);
if (!quiet) console.log(`qrbridge: print fonts built: ${files} files in ${OUT}`);
