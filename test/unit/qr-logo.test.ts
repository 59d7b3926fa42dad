import fc from "fast-check";
import { decode, encode } from "fast-png";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { encodeRgbaPng } from "../../src/core/png";
import { decodePng, PngError, pngInfo } from "../../src/core/png-decode";
import { QrOptionError, qrMatrix, renderPng, renderSvg } from "../../src/core/qr";
import {
  checkLogoFile,
  clearUnderLogo,
  logoBox,
  logoImageRect,
  MAX_LOGO_SIZE,
  type QrLogo,
} from "../../src/core/qr-logo";
import { checkStyle, styleOptions, styleTag } from "../../src/core/qr-style";
import { renderStyledPng, renderStyledSvg } from "../../src/core/qr-styled";

/** Decode an 8-bit RGB(A) PNG with jsQR, laid over white paper, light-on-dark too. */
function scan(png: Uint8Array): string | null {
  const img = decode(png);
  expect(img.depth).toBe(8);
  const ch = img.channels;
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = ch === 4 ? img.data[i * 4 + 3]! / 255 : 1;
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.data[i * ch + k]! * a + 255 * (1 - a);
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, img.width, img.height, { inversionAttempts: "attemptBoth" })?.data ?? null;
}

/** A logo of `w` × `h` px drawn by `paint(x, y)` → RGBA, as the renderers get it. */
async function makeLogo(
  w: number,
  h: number,
  paint: (x: number, y: number) => number[],
): Promise<QrLogo> {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set(paint(x, y), (y * w + x) * 4);
  const png = await encodeRgbaPng(w, h, rgba);
  return { png, width: w, height: h, rgba: (await decodePng(png)).rgba };
}

const channel = fc.integer({ min: 0, max: 255 });
const colour = fc.tuple(channel, channel, channel, fc.constantFrom(0, 128, 255));
/** Logos a company might upload: solid (dark!), stripes, checks, a disc on transparency. */
const logoArb = fc
  .record({
    w: fc.integer({ min: 16, max: 96 }),
    aspect: fc.double({ min: 0.25, max: 4, noNaN: true }),
    kind: fc.constantFrom("solid", "stripes", "checks", "disc"),
    a: colour,
    b: colour,
  })
  .map(({ w, aspect, kind, a, b }) => ({
    w,
    h: Math.max(16, Math.min(96, Math.round(w / aspect))),
    kind,
    a,
    b,
  }));
const hexColour = (min: number, max: number) =>
  fc
    .tuple(...[0, 1, 2].map(() => fc.integer({ min, max })))
    .map((c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`);
const styleArb = fc.record(
  {
    fg: fc.oneof(hexColour(0, 255), hexColour(0, 90)),
    bg: fc.oneof(hexColour(0, 255), hexColour(190, 255), fc.constant("transparent")),
    modules: fc.constantFrom("square", "rounded", "dots"),
    finder: fc.constantFrom("square", "rounded"),
    finderColor: hexColour(0, 90),
    logoSize: fc.double({ min: 0.1, max: MAX_LOGO_SIZE, noNaN: true }),
    scale: fc.integer({ min: 3, max: 10 }),
  },
  { requiredKeys: ["fg", "modules", "finder", "logoSize", "scale"] },
);
const link = fc
  .stringMatching(/^[0-9A-Z]{8,60}$/)
  .map((code) => `HTTPS://QR.EXAMPLE.COM/P/${code}`);

describe("centre logos", () => {
  it("every accepted random style with a random logo renders a PNG that jsQR decodes", {
    timeout: 300_000,
  }, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(styleArb, logoArb, link, async (s, l, url) => {
        const logo = await makeLogo(l.w, l.h, (x, y) => {
          if (l.kind === "solid") return l.a;
          if (l.kind === "stripes") return (x >> 2) % 2 ? l.a : l.b;
          if (l.kind === "checks") return ((x >> 3) + (y >> 3)) % 2 ? l.a : l.b;
          const [dx, dy] = [x - l.w / 2, y - l.h / 2];
          return dx * dx + dy * dy < (Math.min(l.w, l.h) / 2) ** 2 ? l.a : [0, 0, 0, 0];
        });
        let png: Uint8Array;
        try {
          png = await renderStyledPng(url, { ...s, logo, margin: 4 });
        } catch (err) {
          if (!(err instanceof QrOptionError)) throw err;
          expect(["fg", "finder_color", "bg", "scale"]).toContain(err.field);
          return;
        }
        accepted++;
        expect(scan(png)).toBe(url);
      }),
      { numRuns: 300, seed: 2222 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it("clears exactly the modules under the logo's box, centred, at error correction H", async () => {
    const logo = await makeLogo(64, 32, () => [200, 0, 0, 255]);
    const m = qrMatrix("HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB", { ecLevel: "H" });
    const box = logoBox(m.size, logo, 0.3);
    expect(box.w).toBeGreaterThan(box.h); // the logo's shape
    expect(box.w % 2).toBe(1);
    expect(box.w).toBeLessThanOrEqual(0.3 * m.size); // never rounded up past the share
    expect(box.x * 2 + box.w).toBe(m.size); // centred
    const cleared = clearUnderLogo(m, box);
    for (let r = 0; r < m.size; r++)
      for (let c = 0; c < m.size; c++) {
        const inside = r >= box.y && r < box.y + box.h && c >= box.x && c < box.x + box.w;
        expect(cleared.isDark(r, c)).toBe(inside ? false : m.isDark(r, c));
      }
    // The image is inside its box, half a module of background around it.
    const r = logoImageRect(box, logo);
    expect(r.x).toBeGreaterThanOrEqual(box.x + 0.5);
    expect(r.x + r.w).toBeLessThanOrEqual(box.x + box.w - 0.5 + 1e-9);
    expect(r.w / r.h).toBeCloseTo(2);
  });

  it("forces error correction H and draws the logo in SVG as a data: image", async () => {
    const logo = await makeLogo(32, 32, () => [0, 0, 0, 255]);
    const url = "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB";
    const svg = renderStyledSvg(url, { logo, ecLevel: "L" });
    const h = qrMatrix(url, { ecLevel: "H" }).size;
    expect(svg).toContain(`viewBox="0 0 ${h + 8} ${h + 8}"`);
    expect(svg).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
    const b64 = /<image [^>]*xlink:href="data:image\/png;base64,([^"]+)"\/><\/svg>$/.exec(svg);
    expect(Buffer.from(b64![1]!, "base64")).toEqual(Buffer.from(logo.png));
    // A PNG needs the pixels; an SVG does not.
    expect(renderStyledSvg(url, { logo: { ...logo, rgba: undefined } })).toContain("<image");
    await expect(
      renderStyledPng(url, { logo: { ...logo, rgba: undefined } }),
    ).rejects.toMatchObject({
      field: "logo",
    });
  });

  it("draws plain options exactly as the scan path's renderer, which refuses styled ones", async () => {
    const url = "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB";
    const plain = { fg: "#1a237e", ecLevel: "Q" as const, margin: 2 };
    expect(renderStyledSvg(url, plain)).toBe(renderSvg(url, plain));
    expect(await renderStyledPng(url, plain)).toEqual(await renderPng(url, plain));
    expect(() => renderSvg(url, { modules: "dots" })).toThrow(/qr-styled/);
    await expect(renderPng(url, { finderColor: "#b71c1c" })).rejects.toThrow(/qr-styled/);
  });

  it("refuses logos that cover too much, naming logo_size", async () => {
    expect(() => checkStyle({ logo: "lg_0123456789abcdef01234567", logo_size: 0.5 })).toThrow(
      expect.objectContaining({ field: "logo_size" }),
    );
    expect(() => checkStyle({ logo_size: 0.2 })).toThrow(
      expect.objectContaining({ field: "logo_size" }),
    );
    expect(() => checkStyle({ logo: "logo.png" })).toThrow(
      expect.objectContaining({ field: "logo" }),
    );
    expect(checkStyle({ logo: "lg_0123456789abcdef01234567", logo_size: 0.3 })).toEqual({
      logo: "lg_0123456789abcdef01234567",
      logo_size: 0.3,
    });
    const logo = await makeLogo(20, 20, () => [0, 0, 0, 255]);
    expect(() => renderStyledSvg("HTTPS://QR.EXAMPLE.COM/P/7K", { logo, logoSize: 0.5 })).toThrow(
      expect.objectContaining({ field: "logo_size" }),
    );
  });

  it("tags a style by its content: any change is a new tag, none is none", () => {
    expect(styleTag(null)).toBeNull();
    expect(styleTag({})).toBeNull();
    const a = styleTag({ fg: "#1a237e", modules: "dots" });
    expect(a).toMatch(/^[0-9a-z]+$/);
    expect(styleTag({ modules: "dots", fg: "#1a237e" })).toBe(a); // key order does not matter
    expect(styleTag({ fg: "#1a237e", modules: "rounded" })).not.toBe(a);
    expect(
      styleTag({ fg: "#1a237e", modules: "dots", logo: "lg_0123456789abcdef01234567" }),
    ).not.toBe(a);
    expect(styleOptions({ finder_color: "#b71c1c", logo_size: 0.3, invert: true })).toEqual({
      finderColor: "#b71c1c",
      logoSize: 0.3,
      invert: true,
    });
  });
});

describe("core/png-decode", () => {
  it("decodes every colour type and depth fast-png writes back to the same RGBA", async () => {
    const [w, h] = [7, 5];
    for (const channels of [1, 2, 3, 4] as const)
      for (const depth of [8, 16] as const) {
        const max = depth === 8 ? 255 : 65535;
        const data =
          depth === 8 ? new Uint8Array(w * h * channels) : new Uint16Array(w * h * channels);
        for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % (max + 1);
        const png = encode({ width: w, height: h, data, depth, channels });
        const out = await decodePng(png);
        expect([out.width, out.height]).toEqual([w, h]);
        for (let p = 0; p < w * h; p++) {
          const s = (k: number) => {
            const v = data[p * channels + k]!;
            return depth === 16 ? v >> 8 : v;
          };
          const grey = channels <= 2;
          const want = [
            s(0),
            grey ? s(0) : s(1),
            grey ? s(0) : s(2),
            channels === 2 ? s(1) : channels === 4 ? s(3) : 255,
          ];
          expect([...out.rgba.subarray(p * 4, p * 4 + 4)]).toEqual(want);
        }
      }
  });

  it("checks an uploaded logo: base64, size, sides", async () => {
    const b64 = async (w: number, h: number) =>
      Buffer.from(await encodeRgbaPng(w, h, new Uint8Array(w * h * 4))).toString("base64");
    const ok = await checkLogoFile(await b64(64, 16));
    expect([ok.width, ok.height, ok.png.length > 0]).toEqual([64, 16, true]);
    await expect(checkLogoFile(await b64(8, 8))).rejects.toThrow(/16–512 px/);
    await expect(checkLogoFile(await b64(600, 200))).rejects.toThrow(/16–512 px/);
    await expect(checkLogoFile(await b64(100, 20))).rejects.toThrow(/at most 4 times/);
    await expect(checkLogoFile("%%%")).rejects.toThrow(/not base64/);
    await expect(checkLogoFile(Buffer.alloc(41 * 1024).toString("base64"))).rejects.toThrow(
      /at most 40960/,
    );
  });

  it("refuses what is not a PNG, a truncated one and a corrupt one", async () => {
    const good = await encodeRgbaPng(2, 2, new Uint8Array(16).fill(128));
    expect(pngInfo(good)).toMatchObject({ width: 2, height: 2, colourType: 6, bitDepth: 8 });
    expect(() => pngInfo(new TextEncoder().encode("<svg xmlns='…'></svg>…………………………"))).toThrow(
      PngError,
    );
    await expect(decodePng(good.subarray(0, good.length - 20))).rejects.toThrow(PngError);
    const corrupt = good.slice();
    corrupt.fill(0xff, 41, good.length - 16); // inside IDAT's data
    await expect(decodePng(corrupt)).rejects.toThrow(PngError);
  });
});
