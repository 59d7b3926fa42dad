import { type DecodedPng, decode } from "fast-png";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/core/png";
import {
  type EcLevel,
  parseColour,
  parseQrOptions,
  QrOptionError,
  qrMatrix,
  renderPng,
  renderSvg,
} from "../../src/core/qr";

const BRIDGE = "HTTPS://QR.EXAMPLE.COM/H/0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const URLS = [
  BRIDGE,
  "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4",
  "https://example.com/app/open?ref=poster&store=42#top",
  "HTTPS://BRIDGE.SHOP.EXAMPLE/H/ZZ9Y8X7W6V5T4S3R2Q1P0NMKJHGFEDCBA012345",
];
const EC_LEVELS: EcLevel[] = ["L", "M", "Q", "H"];

/** Unpack any 1- or 8-bit grey/palette PNG from fast-png into RGBA, composited over white. */
function toRgba(png: DecodedPng): Uint8ClampedArray {
  const { width, height, depth, channels, palette } = png;
  const out = new Uint8ClampedArray(width * height * 4);
  const stride = depth === 1 ? Math.ceil(width / 8) : width * channels;
  const data = png.data as Uint8Array;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v =
        depth === 1 ? (data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 : data[y * stride + x]!;
      let rgba: number[];
      if (palette) rgba = [...palette[v]!, 255].slice(0, 4);
      else rgba = depth === 1 ? [v * 255, v * 255, v * 255, 255] : [v, v, v, 255];
      const a = rgba[3]! / 255;
      for (let i = 0; i < 3; i++) out[(y * width + x) * 4 + i] = rgba[i]! * a + 255 * (1 - a);
      out[(y * width + x) * 4 + 3] = 255;
    }
  }
  return out;
}

async function scanPng(png: Uint8Array): Promise<string | undefined> {
  const img = decode(png);
  return jsQR(toRgba(img), img.width, img.height)?.data;
}

/** Parse the single path back into dark cells (module coordinates, quiet zone removed). */
function svgToMatrix(svg: string, size: number, margin: number): Uint8Array {
  const paths = [...svg.matchAll(/<path\b[^>]*\bd="([^"]*)"/g)];
  expect(paths).toHaveLength(1);
  const d = paths[0]![1]!;
  const cells = new Uint8Array(size * size);
  const cmd = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/y;
  let consumed = 0;
  for (let m = cmd.exec(d); m; m = cmd.exec(d)) {
    const [x, y, w, back] = m.slice(1).map(Number) as [number, number, number, number];
    expect(back).toBe(w);
    for (let c = x; c < x + w; c++) {
      const i = (y - margin) * size + (c - margin);
      expect(cells[i]).toBe(0); // no overlapping runs
      cells[i] = 1;
    }
    consumed = cmd.lastIndex;
  }
  expect(consumed).toBe(d.length); // nothing but run commands
  return cells;
}

/** Small well-formedness check: balanced tags, quoted attributes, no raw `<` or stray `&`. */
function assertWellFormed(xml: string): void {
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  let at = 0;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    at = token.lastIndex;
    const [, close, name, , selfClose, text] = m;
    if (text !== undefined) {
      expect(text).not.toMatch(/&(?!(?:#\d+|#x[\da-f]+|amp|lt|gt|quot|apos);)/i);
      continue;
    }
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
  }
  expect(at).toBe(xml.length);
  expect(stack).toEqual([]);
}

describe("qrMatrix", () => {
  it("encodes an uppercase bridge URL entirely in alphanumeric mode, at a smaller version", () => {
    const upper = qrMatrix(BRIDGE, { ecLevel: "M" });
    const lower = qrMatrix(BRIDGE.toLowerCase(), { ecLevel: "M" });
    expect(upper.modes).toEqual(["alphanumeric"]);
    expect(lower.modes).toContain("byte");
    expect(upper.version).toBeLessThan(lower.version);
    expect(upper.size).toBe(17 + 4 * upper.version);
  });

  it("rejects empty and oversized text with field 'text'", () => {
    expect(() => qrMatrix("")).toThrowError(expect.objectContaining({ field: "text" }));
    expect(() => qrMatrix("x".repeat(3000), { ecLevel: "H" })).toThrowError(QrOptionError);
  });
});

describe("renderSvg", () => {
  it.each(EC_LEVELS)("path matches the qrcode matrix module by module (ec %s)", (ec) => {
    for (const url of URLS) {
      for (const margin of [0, 4, 16]) {
        const m = qrMatrix(url, { ecLevel: ec });
        const svg = renderSvg(url, { ecLevel: ec, margin });
        const side = m.size + 2 * margin;
        expect(svg).toContain(`viewBox="0 0 ${side} ${side}"`);
        expect(svgToMatrix(svg, m.size, margin)).toEqual(m.data);
      }
    }
  });

  it("is well-formed with crisp edges, colours, size and an escaped title", () => {
    const svg = renderSvg(BRIDGE, {
      fg: "#123",
      bg: "#ffffff80",
      size: "30mm",
      title: `Scan </title><script>alert("x")</script> & go \u0001`,
    });
    assertWellFormed(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('width="30mm" height="30mm"');
    expect(svg).toContain('fill="#112233"');
    expect(svg).toContain('fill="#ffffff" fill-opacity="0.502"');
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("<title>Scan &#60;/title&#62;&#60;script&#62;");
    expect(svg.match(/<path/g)).toHaveLength(1);
  });

  it("defaults to scale×modules px, omits the background when transparent", () => {
    const m = qrMatrix(BRIDGE);
    const svg = renderSvg(m, { bg: "transparent", margin: 2, scale: 10 });
    const px = (m.size + 4) * 10;
    expect(svg).toContain(`width="${px}" height="${px}"`);
    expect(svg).not.toContain("<rect");
    assertWellFormed(svg);
    expect(renderSvg(BRIDGE, { size: 256 })).toContain('width="256"');
  });
});

describe("renderPng", () => {
  it.each(EC_LEVELS)("decodes with fast-png and jsqr back to the exact URL (ec %s)", async (ec) => {
    for (const url of URLS) {
      for (const scale of [1, 4, 8]) {
        const png = await renderPng(url, { ecLevel: ec, scale });
        const img = decode(png);
        const side = qrMatrix(url, { ecLevel: ec }).size + 8;
        expect([img.width, img.height, img.depth, img.channels]).toEqual([
          side * scale,
          side * scale,
          1,
          1,
        ]);
        expect(await scanPng(png)).toBe(url);
      }
    }
  });

  it("has valid chunk CRCs and a zlib IDAT", async () => {
    expect(crc32(new TextEncoder().encode("123456789")).toString(16)).toBe("cbf43926");
    const png = await renderPng(BRIDGE, { margin: 2, scale: 3 });
    const view = new DataView(png.buffer, png.byteOffset);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const types: string[] = [];
    for (let at = 8; at < png.length; ) {
      const len = view.getUint32(at);
      const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
      types.push(type);
      expect(view.getUint32(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      if (type === "IDAT") expect(png[at + 8]).toBe(0x78);
      at += 12 + len;
    }
    expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
  });

  it("uses a 2-entry palette for colours, still scannable", async () => {
    const png = await renderPng(URLS[2]!, { fg: "#1a237e", bg: "#fff8e1", scale: 4 });
    const img = decode(png);
    expect(img.palette).toEqual([
      [0xff, 0xf8, 0xe1],
      [0x1a, 0x23, 0x7e],
    ]);
    expect(await scanPng(png)).toBe(URLS[2]);
    const clear = await renderPng(BRIDGE, { bg: "transparent", scale: 4 });
    expect(decode(clear).palette?.[0]).toEqual([0, 0, 0, 0]);
    expect(await scanPng(clear)).toBe(BRIDGE);
  });

  it("picks the scale from a px size and bounds the image", async () => {
    const side = qrMatrix(BRIDGE).size + 8; // 37
    expect(decode(await renderPng(BRIDGE, { size: 300 })).width).toBe(side * 8);
    expect(decode(await renderPng(BRIDGE, { size: 64 })).width).toBe(side);
    await expect(renderPng(BRIDGE, { size: "25mm" })).rejects.toMatchObject({ field: "size" });
    await expect(renderPng("x".repeat(1200), { scale: 32 })).rejects.toMatchObject({
      field: "scale",
    });
  });
});

describe("options", () => {
  it("parses the query parameters of GET /qr/…", () => {
    const q = new URLSearchParams("ec=h&margin=2&fg=%23000000&scale=10&bg=FFF&size=25mm&other=1");
    expect(parseQrOptions(q)).toEqual({
      ecLevel: "H",
      margin: 2,
      fg: "#000000",
      bg: "#ffffff",
      scale: 10,
      size: "25mm",
    });
    expect(parseQrOptions(new URLSearchParams("size=512&bg=transparent"), "png")).toEqual({
      size: 512,
      bg: "transparent",
    });
    expect(parseQrOptions(new URLSearchParams())).toEqual({});
  });

  it.each([
    ["fg", 'red;"><script>'],
    ["fg", "red"],
    ["fg", "#12345"],
    ["fg", "transparent"],
    ["bg", "url(javascript:x)"],
    ["bg", "#000"],
    ["ec", "X"],
    ["margin", "17"],
    ["margin", "-1"],
    ["margin", "2.5"],
    ["scale", "0"],
    ["scale", "33"],
    ["size", "63"],
    ["size", "2049"],
    ["size", "3mm"],
    ["size", "100ft"],
    ["size", "1e3"],
  ])("rejects %s=%s naming the field", (field, value) => {
    const q = new URLSearchParams({ [field]: value });
    let caught: unknown;
    try {
      parseQrOptions(q);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QrOptionError);
    expect(caught).toMatchObject({ field, message: expect.stringContaining(field) });
  });

  it("rejects physical sizes for PNG and validates direct options too", () => {
    expect(() => parseQrOptions(new URLSearchParams("size=1in"), "png")).toThrowError(
      expect.objectContaining({ field: "size" }),
    );
    expect(() => renderSvg(BRIDGE, { fg: 'red;"><script>' })).toThrowError(
      expect.objectContaining({ field: "fg" }),
    );
    expect(() => renderSvg(BRIDGE, { title: "x".repeat(201) })).toThrowError(QrOptionError);
    expect(parseColour("#0a0")).toEqual([0, 170, 0, 255]);
    expect(parseColour("#0000ff80")).toEqual([0, 0, 255, 128]);
  });
});
