/**
 * The colours `<qr-bridge>` asks the bridge to draw its QR in, from its `--qb-fg`/`--qb-bg`
 * theme. Pure: no DOM, so a unit test checks it against the bridge's own rule.
 */

// The value when it is a `#rrggbb` colour (the only form the QR image accepts), else null.
const hexColor = (v: string): string | null => (/^#[0-9a-f]{6}$/i.test(v) ? v : null);

// WCAG relative luminance of #rrggbb, as the bridge's checkContrast (src/core/qr-style.ts) has it.
const lum = (hex: string): number =>
  [0.2126, 0.7152, 0.0722].reduce((sum, w, i) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return sum + w * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }, 0);

/**
 * The QR image's `fg`/`bg` from the element's `--qb-fg`/`--qb-bg`, only when the bridge draws
 * them: `#rrggbb`, modules darker than the background, contrast at least 4.5:1. A dark theme
 * (light text on a dark card) would otherwise ask for an inverted code, which the bridge refuses
 * because phones fail to read it: the code stays black on white instead.
 *
 * @example
 * qrColours("#1e3a8a", "#eff6ff") // { fg: "#1e3a8a", bg: "#eff6ff" }
 * qrColours("#e2e8f0", "#1e293b") // {}  (light on dark: drawn black on white)
 */
export function qrColours(fgValue: string, bgValue: string): { fg?: string; bg?: string } {
  const fg = hexColor(fgValue);
  const bg = hexColor(bgValue);
  const [lf, lb] = [lum(fg ?? "#000000"), lum(bg ?? "#ffffff")];
  if (lf > lb || (lb + 0.05) / (lf + 0.05) < 4.5) return {};
  return { ...(fg && { fg }), ...(bg && { bg }) };
}
