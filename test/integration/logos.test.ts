// Centre logos (POST /v1/logos) and poster styles as the QR images and print files draw them.
import { env } from "cloudflare:workers";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { encodeRgbaPng } from "../../src/core/png";
import { decodePng } from "../../src/core/png-decode";
import { call, mintKey } from "./helpers";
import { makePoster, type PosterJson, posterKey } from "./poster-helpers";

/** A `w` × `h` PNG: a dark red disc on transparency, or solid `fill`. */
async function logoPng(w = 64, h = 64, fill?: number[]): Promise<Uint8Array> {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const inDisc = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (Math.min(w, h) / 2) ** 2;
      rgba.set(fill ?? (inDisc ? [160, 20, 30, 255] : [0, 0, 0, 0]), (y * w + x) * 4);
    }
  return encodeRgbaPng(w, h, rgba);
}

/** `n` bytes of xorshift noise. */
function noise(n: number): Uint8Array {
  let x = 2463534242;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function upload(png: Uint8Array | string, key?: string): Promise<Response> {
  return call("/v1/logos", {
    method: "POST",
    key: key ?? (await posterKey()),
    json: { png: typeof png === "string" ? png : b64(png) },
  });
}

/** Decode a PNG response (any colour type: core/png-decode.ts) with jsQR, over white paper. */
async function scan(res: Response): Promise<string | null> {
  const img = await decodePng(new Uint8Array(await res.arrayBuffer()));
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = img.rgba[i * 4 + 3]! / 255;
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.rgba[i * 4 + k]! * a + 255 * (1 - a);
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, img.width, img.height)?.data ?? null;
}

async function patchStyle(p: PosterJson, style: Record<string, unknown> | null) {
  const res = await call(`/v1/posters/${p.id}`, {
    method: "PATCH",
    key: await posterKey(),
    json: { style },
  });
  return { res, body: (await res.json()) as PosterJson & Record<string, unknown> };
}

const path = (url: string) => url.replace(/^https?:\/\/[^/]+/i, "");

describe("POST /v1/logos", () => {
  it("stores a PNG once under an id from its bytes; the same file again is the same logo", async () => {
    const png = await logoPng(80, 40);
    const first = await upload(png);
    expect(first.status).toBe(201);
    const logo = (await first.json()) as { id: string; width: number; height: number };
    expect(logo).toMatchObject({ width: 80, height: 40, bytes: png.length });
    expect(logo.id).toMatch(/^lg_[0-9a-f]{24}$/);
    const again = await upload(png);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(logo.id);
    const got = await call(`/v1/logos/${logo.id}`, { key: await posterKey() });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: logo.id, width: 80, height: 40 });
    const none = await call("/v1/logos/lg_000000000000000000000000", { key: await posterKey() });
    expect(none.status).toBe(404);
  });

  it("refuses files that are not a small, sound PNG, naming png", async () => {
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const tiny = await logoPng(8, 8);
    const strip = await logoPng(200, 20);
    // Noise does not compress: a file just over the limit whose base64 still fits the body.
    const big = await encodeRgbaPng(104, 104, noise(104 * 104 * 4));
    expect(big.length).toBeGreaterThan(40 * 1024);
    const good = await logoPng();
    const corrupt = good.slice();
    corrupt.fill(0x55, 45, good.length - 16); // the image data
    for (const [file, why] of [
      [svg, /not a PNG/],
      [tiny, /16–512 px/],
      [strip, /at most 4 times/],
      [big, /at most 40960/],
      [corrupt, /corrupt|truncated|filter/],
      ["%%%not base64", /base64/],
    ] as const) {
      const res = await upload(file);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; message: string; details: unknown };
      expect(body).toMatchObject({ error: "validation_failed", details: { field: "png" } });
      expect(body.message).toMatch(why);
    }
    // Larger still, the body itself is refused before it is read as JSON.
    const huge = await upload(await encodeRgbaPng(160, 160, noise(160 * 160 * 4)));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("needs a secret key with posters:write", async () => {
    const png = b64(await logoPng(32, 32));
    expect((await call("/v1/logos", { method: "POST", json: { png } })).status).toBe(401);
    const stats = await mintKey("secret", ["stats:read"]);
    expect((await upload(png, stats)).status).toBe(403);
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.example"]);
    expect((await upload(png, pk)).status).toBe(403);
  });
});

describe("a poster's style, used", () => {
  it("refuses a logo never uploaded and one that covers too much, naming the field", async () => {
    const missing = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path: "/menu", style: { logo: "lg_0123456789abcdef01234567" } },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ details: { field: "style.logo" } });
    const { id } = (await (await upload(await logoPng(48, 48))).json()) as { id: string };
    const huge = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path: "/menu", style: { logo: id, logo_size: 0.45 } },
    });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ details: { field: "style.logo_size" } });
    const batch = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: {
        posters: [
          { name: "a", path: "/a", style: { logo: id } },
          { name: "b", path: "/b", style: { logo: "lg_0123456789abcdef01234568" } },
        ],
      },
    });
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ details: { field: "posters.1.style.logo" } });
  });

  it("draws the QR images in the saved style and logo; a new style is a new URL and ETag", async () => {
    const { id: logo } = (await (await upload(await logoPng(60, 60))).json()) as { id: string };
    const p = await makePoster({
      style: { fg: "#1a237e", modules: "dots", finder: "rounded", logo, logo_size: 0.3 },
    });
    expect(p.qr.svg).toMatch(/\/qr\/p\/[0-9A-Z]+\.svg\?v=[0-9a-z]+$/);
    const svg1 = await (await call(path(p.qr.svg))).text();
    expect(svg1).toContain('fill="#1a237e"');
    expect(svg1).toContain("data:image/png;base64,");
    const png1 = await call(path(p.qr.png));
    expect(png1.status).toBe(200);
    expect(png1.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag1 = png1.headers.get("etag")!;
    expect(await scan(png1)).toBe(p.url); // the logo drawn in, and it still decodes

    // The style changes: new tag, new URL, new drawing; the old ETag is no longer current.
    const { res, body: q } = await patchStyle(p, { fg: "#004d40", modules: "rounded" });
    expect(res.status).toBe(200);
    expect(q.qr.svg).not.toBe(p.qr.svg);
    const svg2 = await (await call(path(q.qr.svg))).text();
    expect(svg2).toContain('fill="#004d40"');
    expect(svg2).not.toContain("<image");
    const revalidated = await call(path(p.qr.png), { headers: { "if-none-match": etag1 } });
    expect(revalidated.status).toBe(200); // not 304: the old drawing is not current
    expect(revalidated.headers.get("etag")).not.toBe(etag1);
    // The old URL still answers (printed pages embed it) but is no longer cacheable for long.
    expect(revalidated.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await scan(revalidated)).toBe(p.url);
    const old = await (await call(path(p.qr.svg))).text();
    expect(old).toBe(svg2);

    // Back to no style: the plain URL, plain black on white.
    const { body: plain } = await patchStyle(p, null);
    expect(plain.qr.svg).not.toContain("?v=");
    const svg3 = await (await call(path(plain.qr.svg))).text();
    expect(svg3).toContain('<path fill="#000000" d="M');
    expect(svg3).toContain("crispEdges");
  });

  it("draws a code whose logo is gone without it, briefly cacheable and not kept", async () => {
    const png = await logoPng(40, 40, [20, 20, 20, 255]);
    const { id: logo } = (await (await upload(png)).json()) as { id: string };
    const p = await makePoster({ style: { fg: "#1a237e", logo } });
    await (env as unknown as { LOGOS: R2Bucket }).LOGOS.delete(`logos/${logo}.png`);
    const first = await call(path(p.qr.svg));
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=300");
    const svg = await first.text();
    expect(svg).not.toContain("<image");
    expect(svg).toContain('fill="#1a237e"');
    expect((await call(path(p.qr.svg))).headers.get("x-qr-cache")).toBe("miss");
  });

  it("prints the card and sheets in the saved style, with the logo, as SVG and PDF", async () => {
    const { id: logo } = (await (await upload(await logoPng(64, 32))).json()) as { id: string };
    const p = await makePoster({ style: { fg: "#1a237e", modules: "rounded", logo } });
    const key = await posterKey();
    const card = await call(`/v1/posters/${p.id}/print.svg`, { key });
    expect(card.status).toBe(200);
    const svg1 = await card.text();
    expect(svg1).toMatch(/<g class="qr"[^>]*><rect [^>]*fill="#fff"\/><path fill="#1a237e"/);
    expect(svg1).toContain("data:image/png;base64,");
    expect(card.headers.get("content-security-policy")).toContain("img-src data:");
    const sheet = await (await call(`/v1/posters/print-sheet.svg?ids=${p.id}`, { key })).text();
    expect(sheet).toContain('<path fill="#1a237e"');

    const pdf = new TextDecoder("latin1").decode(
      await (await call(`/v1/posters/${p.id}/print.pdf`, { key })).arrayBuffer(),
    );
    expect(pdf).toMatch(/\/Subtype \/Image \/Width 64 \/Height 32 \/ColorSpace \/DeviceCMYK/);
    expect(pdf).not.toMatch(/\/SMask|\/DeviceRGB/); // opaque, CMYK: PDF/X-1a

    const { body: q } = await patchStyle(p, { fg: "#004d40" });
    expect(q.style).toEqual({ fg: "#004d40" });
    const svg2 = await (await call(`/v1/posters/${p.id}/print.svg`, { key })).text();
    expect(svg2).toMatch(/<path fill="#004d40"/);
    expect(svg2).not.toContain("data:image/png");
    const pdf2 = new TextDecoder("latin1").decode(
      await (await call(`/v1/posters/${p.id}/print.pdf`, { key })).arrayBuffer(),
    );
    expect(pdf2).not.toContain("/Subtype /Image");
  });
});
