import fc from "fast-check";
import { decode } from "fast-png";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { QrOptionError } from "../../src/core/qr";
import { checkStyle, contrast, luminance } from "../../src/core/qr-style";
import { renderStyledPng, renderStyledSvg } from "../../src/core/qr-styled";

/** Decode a rendered PNG with jsQR, light-on-dark too (what `invert` allows). */
function decodePng(png: Uint8Array): string | null {
  const img = decode(png);
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  const stride = Math.ceil((img.width * img.depth) / 8);
  // A pixel's sample: bytes at depth 8, packed bits below (rows start on a byte).
  const sample = (i: number) => {
    if (img.depth === 8) return img.data[i]!;
    const [y, x] = [Math.floor(i / img.width), i % img.width];
    const bit = x * img.depth;
    return (
      (img.data[y * stride + (bit >> 3)]! >> (8 - img.depth - (bit & 7))) & ((1 << img.depth) - 1)
    );
  };
  for (let i = 0; i < img.width * img.height; i++) {
    const v = sample(i);
    const c = img.palette ? img.palette[v]! : [v * 255, v * 255, v * 255];
    const a = (c[3] ?? 255) / 255;
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = c[k]! * a + 255 * (1 - a); // over white paper
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, img.width, img.height, { inversionAttempts: "attemptBoth" })?.data ?? null;
}

const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, "0")}`);
/** A colour with every channel in [min, max]: dark inks and light papers, so many pass. */
const tone = (min: number, max: number) =>
  fc
    .tuple(...[0, 1, 2].map(() => fc.integer({ min, max })))
    .map((c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`);
const ink = fc.oneof(hex, tone(0, 110));
const paper = fc.oneof(hex, tone(170, 255));
const style = fc.record(
  {
    fg: fc.oneof(ink, tone(170, 255)),
    bg: fc.oneof(paper, tone(0, 110), fc.constant("transparent")),
    modules: fc.constantFrom("square", "rounded", "dots"),
    finder: fc.constantFrom("square", "rounded"),
    finderColor: ink,
    invert: fc.boolean(),
    ecLevel: fc.constantFrom("L", "M", "Q", "H"),
    scale: fc.integer({ min: 3, max: 12 }),
  },
  { requiredKeys: ["fg", "modules", "finder", "ecLevel", "scale"] },
);
const link = fc
  .stringMatching(/^[0-9A-Z]{10,40}$/)
  .map((code) => `HTTPS://QR.EXAMPLE.COM/P/${code}`);

describe("branded QR codes always scan", () => {
  it("every accepted random style renders a PNG that jsQR decodes (refused ones name a field)", {
    timeout: 120_000,
  }, async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(style, link, async (s, url) => {
        let png: Uint8Array;
        try {
          png = await renderStyledPng(url, { ...s, margin: 4 });
        } catch (err) {
          if (!(err instanceof QrOptionError)) throw err;
          expect(["fg", "finder_color", "invert", "bg", "scale"]).toContain(err.field);
          refused++;
          return;
        }
        accepted++;
        expect(decodePng(png)).toBe(url);
      }),
      { numRuns: 400, seed: 22 },
    );
    // Both sides of the rule were exercised.
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });

  it("refuses low contrast and inverted codes unless asked, naming the field", async () => {
    const url = "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB";
    const field = (o: Parameters<typeof renderStyledPng>[1]) => {
      try {
        renderStyledSvg(url, o);
        return null;
      } catch (err) {
        return (err as QrOptionError).field;
      }
    };
    expect(field({ fg: "#999999" })).toBe("fg"); // 2.8:1 on white
    expect(field({ fg: "#ffffff", bg: "#000000" })).toBe("fg"); // inverted, not asked
    expect(field({ fg: "#ffffff", bg: "#000000", invert: true })).toBe("invert"); // not offered
    expect(field({ fg: "#000000", invert: true })).toBe("invert");
    expect(field({ fg: "#1a237e", finderColor: "#ffcccc" })).toBe("finder_color");
    expect(field({ fg: "#1a237e", modules: "stars" as never })).toBe("modules");
    expect(field({ fg: "#00000033" })).toBe("fg"); // translucent black over white is grey
    expect(contrast(luminance([0, 0, 0]), luminance([255, 255, 255]))).toBeCloseTo(21);
    expect(() => checkStyle({ fg: "#767676" })).not.toThrow(); // 4.54:1
    expect(() => checkStyle({ fg: "#777777" })).toThrow(/4.48:1/);
    expect(checkStyle({ fg: "#1A237E", modules: "square" })).toEqual({ fg: "#1a237e" });
  });

  it("draws styled SVGs as evenodd paths in the style's colours", () => {
    const svg = renderStyledSvg("HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB", {
      fg: "#1a237e",
      modules: "dots",
      finder: "rounded",
      finderColor: "#b71c1c",
    });
    expect(svg).toContain('<path fill="#1a237e" fill-rule="evenodd" d="M');
    expect(svg).toContain('<path fill="#b71c1c" fill-rule="evenodd" d="M');
    expect(svg).not.toContain("crispEdges");
  });
});
