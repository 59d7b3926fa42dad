// TrueType glyphs as the print kit's glyph packs store them (scripts/build-fonts.mjs): each a
// simple glyph on its own, without hinting. A PDF subset (src/core/truetype.ts) renumbers the
// glyphs and carries no fpgm/prep/cvt, so a composite glyph (whose components are other glyph
// ids) or hinting instructions would break there; the Arabic and Hebrew faces have both, so
// their glyphs are flattened: components placed (offsets and scales applied) and re-encoded
// as one simple glyph without instructions.

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

/**
 * Glyph `g` of a font read by build-fonts.mjs's `parse`, as the packs store it: its bytes as
 * they are when simple and unhinted, else flattened.
 *
 * @example
 * const glyph = plainGlyph(font, font.cmap.get(0xfefb)); // lam-alef, components merged
 */
export function plainGlyph(font, g) {
  const buf = font.glyph(g);
  if (buf.length < 10) return buf;
  const contours = buf.readInt16BE(0);
  if (contours >= 0 && buf.readUInt16BE(10 + 2 * contours) === 0) return buf;
  return encodeSimple(glyphContours(font, g));
}

/**
 * Glyph `g` moved by (`dx`, `dy`) font units, as a plain glyph: the Thai face's raised and
 * left-moved marks (src/core/thai-marks.ts), which its GPOS would place and the packs cannot.
 *
 * @example
 * const raised = movedGlyph(font, font.cmap.get(0x0e48), 0, 210); // mai ek above an upper vowel
 */
export function movedGlyph(font, g, dx, dy) {
  const moved = glyphContours(font, g).map((c) =>
    c.map((p) => ({ x: p.x + dx, y: p.y + dy, on: p.on })),
  );
  return encodeSimple(moved);
}
