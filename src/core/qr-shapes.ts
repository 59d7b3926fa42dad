/**
 * Styled QR drawing: module shapes (square, rounded, dots) and finder shapes (square, rounded)
 * in the style's colours, as SVG paths and as a raster for PNG. Only data modules take the
 * shape: timing and alignment patterns stay solid squares (a decoder locates the grid by them;
 * dotted ones failed jsQR at high resolution), and a dot keeps 90 % of its module's width
 * (test/unit/qr-style.test.ts decodes random accepted styles).
 */
import type { QrMatrix } from "./qr";
import type { FinderShape, ModuleShape } from "./qr-style";

/** Shapes of a styled code. */
export interface QrShapes {
  modules: ModuleShape;
  finder: FinderShape;
}

const ROUND = 0.35; // corner radius of a rounded module, in modules
const DOT = 0.45; // radius of a dot

/** The top-left corners (row, column) of the three finder patterns. */
const finders = (size: number): [number, number][] => [
  [0, 0],
  [0, size - 7],
  [size - 7, 0],
];

/** Whether (row, col) is inside a finder pattern's 7 × 7 box. */
export function inFinder(size: number, r: number, c: number): boolean {
  return finders(size).some(([fr, fc]) => r >= fr && r < fr + 7 && c >= fc && c < fc + 7);
}

const n = (v: number) => String(Math.round(v * 1000) / 1000);

/** A rectangle with rounded corners as SVG path data (radius 0: a plain rectangle). */
function roundRect(x: number, y: number, w: number, h: number, r: number): string {
  if (r <= 0) return `M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}z`;
  const R = n(r);
  const arc = (dx: number, dy: number) => `a${R} ${R} 0 0 1 ${n(dx)} ${n(dy)}`;
  return `M${n(x + r)} ${n(y)}h${n(w - 2 * r)}${arc(r, r)}v${n(h - 2 * r)}${arc(-r, r)}h${n(2 * r - w)}${arc(-r, -r)}v${n(2 * r - h)}${arc(r, -r)}z`;
}

/**
 * The dark modules outside the finders (`data`) and the three finders (`finders`) as SVG path
 * data in module units, the quiet zone `margin` included in the coordinates; fill them with
 * `fill-rule="evenodd"` (a finder's ring is its outer shape minus its inner one).
 *
 * @example
 * const { data, finders } = shapesSvg(m, { modules: "dots", finder: "rounded" }, 4);
 */
export function shapesSvg(
  m: QrMatrix,
  s: QrShapes,
  margin: number,
): { data: string; finders: string } {
  let data = "";
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) {
      if (m.data[r * m.size + c] !== 1 || inFinder(m.size, r, c)) continue;
      const [x, y] = [c + margin, r + margin];
      if (m.reserved[r * m.size + c]) data += roundRect(x, y, 1, 1, 0);
      else if (s.modules === "dots")
        data += `M${n(x + 0.5 - DOT)} ${n(y + 0.5)}a${DOT} ${DOT} 0 1 0 ${DOT * 2} 0a${DOT} ${DOT} 0 1 0 ${-DOT * 2} 0z`;
      else data += roundRect(x, y, 1, 1, s.modules === "rounded" ? ROUND : 0);
    }
  const round = s.finder === "rounded";
  let out = "";
  for (const [fr, fc] of finders(m.size)) {
    const [x, y] = [fc + margin, fr + margin];
    out += roundRect(x, y, 7, 7, round ? 2 : 0);
    out += roundRect(x + 1, y + 1, 5, 5, round ? 1.4 : 0); // a hole: drawn evenodd
    out += roundRect(x + 2, y + 2, 3, 3, round ? 1 : 0);
  }
  return { data, finders: out };
}

/** Inside a rounded rectangle (corner radius r) at local point (u, v). */
function inRoundRect(
  u: number,
  v: number,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): boolean {
  if (u < x || v < y || u > x + w || v > y + h) return false;
  const dx = Math.max(x + r - u, u - (x + w - r), 0);
  const dy = Math.max(y + r - v, v - (y + h - r), 0);
  return dx * dx + dy * dy <= r * r;
}

/**
 * What a point (u, v), in modules from the symbol's corner, shows: 0 background, 1 module,
 * 2 finder. Used per pixel by the PNG raster.
 *
 * @example
 * shapeAt(m, { modules: "dots", finder: "square" }, 3.5, 3.5) // 2 (a finder's centre)
 */
export function shapeAt(m: QrMatrix, s: QrShapes, u: number, v: number): 0 | 1 | 2 {
  if (u < 0 || v < 0 || u >= m.size || v >= m.size) return 0;
  const [r, c] = [Math.floor(v), Math.floor(u)];
  if (inFinder(m.size, r, c)) {
    const [fr, fc] = [r < 7 ? 0 : m.size - 7, c < 7 ? 0 : m.size - 7];
    const [x, y] = [u - fc, v - fr];
    const round = s.finder === "rounded";
    const ring =
      inRoundRect(x, y, 0, 0, 7, 7, round ? 2 : 0) &&
      !inRoundRect(x, y, 1, 1, 5, 5, round ? 1.4 : 0);
    return ring || inRoundRect(x, y, 2, 2, 3, 3, round ? 1 : 0) ? 2 : 0;
  }
  if (m.data[r * m.size + c] !== 1) return 0;
  if (m.reserved[r * m.size + c]) return 1;
  const [x, y] = [u - c, v - r];
  if (s.modules === "dots") return (x - 0.5) ** 2 + (y - 0.5) ** 2 <= DOT * DOT ? 1 : 0;
  return s.modules === "rounded" && !inRoundRect(x, y, 0, 0, 1, 1, ROUND) ? 0 : 1;
}
