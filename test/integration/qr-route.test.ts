import { decode } from "fast-png";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { signPosterCode, signToken } from "../../src/core/token";
import { call, testKeyring } from "./helpers";

const ring = await testKeyring();
const now = () => Math.floor(Date.now() / 1000);

/** Decode a PNG response body to the text its QR code carries. */
async function decodeQr(res: Response): Promise<string | null> {
  const img = decode(new Uint8Array(await res.arrayBuffer()));
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  const ch = img.channels;
  for (let i = 0; i < img.width * img.height; i++) {
    let v: number;
    if (img.palette) {
      const idx =
        img.depth === 1 ? (img.data[Math.floor(i / 8)]! >> (7 - (i % 8))) & 1 : img.data[i]!;
      v = img.palette[idx]![0]!;
    } else if (img.depth === 1) {
      const row = Math.floor(i / img.width);
      const col = i % img.width;
      const stride = Math.ceil(img.width / 8);
      v = ((img.data[row * stride + (col >> 3)]! >> (7 - (col & 7))) & 1) * 255;
    } else v = img.data[i * ch]!;
    rgba.set([v, v, v, 255], i * 4);
  }
  return jsQR(rgba, img.width, img.height)?.data ?? null;
}

describe("GET /qr/…", () => {
  it("renders a handoff token's link as a PNG that decodes to the exact uppercase URL", async () => {
    const { token } = await signToken(ring, "h", { expiresAt: now() + 120 });
    const res = await call(`/qr/h/${token}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(await decodeQr(res)).toBe(`HTTPS://QR.TEST/H/${token}`);
  });

  it("renders SVG, accepts a lowercase token and options", async () => {
    const { token } = await signToken(ring, "h", { expiresAt: now() + 120 });
    const res = await call(`/qr/h/${token.toLowerCase()}.svg?ec=H&margin=2&fg=%23112233`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain("#112233");
  });

  it("refuses to be a free QR service: forged, random and expired codes", async () => {
    const { token } = await signToken(ring, "h", { expiresAt: now() + 120 });
    const forged = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
    expect((await call(`/qr/h/${forged}.svg`)).status).toBe(400);
    const random = await call("/qr/h/HELLO-WORLD.png");
    expect(random.status).toBe(400);
    expect(await random.json()).toMatchObject({ error: "invalid_token" });
    const expired = await signToken(ring, "h", { expiresAt: now() - 1 });
    const gone = await call(`/qr/h/${expired.token}.svg`);
    expect(gone.status).toBe(410);
    expect((await call("/qr/x/ABC.svg")).status).toBe(400);
    expect((await call(`/qr/h/${token}.gif`)).status).toBe(400);
  });

  it("names the bad option", async () => {
    const { code } = await signPosterCode(ring);
    const res = await call(`/qr/p/${code}.svg?margin=99`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: "validation_failed",
      details: { field: "margin" },
    });
  });

  it("poster images carry an ETag and a long cache lifetime, answer 304, and are cached", async () => {
    const { code, display } = await signPosterCode(ring);
    const first = await call(`/qr/p/${display}.png`);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toContain("max-age=31536000");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(await decodeQr(first)).toBe(`HTTPS://QR.TEST/P/${code}`);
    const again = await call(`/qr/p/${code}.png`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    const cached = await call(`/qr/p/${code}.png`);
    expect(cached.headers.get("x-qr-cache")).toBe("hit");
  });
});
