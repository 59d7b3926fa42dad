/**
 * Standalone bench Worker for src/core/qr.ts. Each endpoint runs one operation `n` times on
 * varied uppercase bridge URLs and returns a checksum (so nothing is optimised away):
 *
 *   GET /noop?n=N     loop overhead only (baseline subtracted by bench/qr.mjs)
 *   GET /create?n=N   QRCode.create (the cost the SVG renderer is compared to)
 *   GET /svg?n=N      renderSvg
 *   GET /png?n=N      renderPng (awaited, CompressionStream deflate)
 *   GET /verify?n=N   verifyToken of a handoff token (HMAC-SHA256 + constant-time compare)
 *
 * Timing is done from outside (bench/qr.mjs): inside workerd, clocks do not advance during
 * pure CPU work, only across I/O.
 */
import QRCodeCore from "qrcode/lib/core/qrcode.js";
import { renderPng, renderSvg } from "../src/core/qr";
import { type Keyring, parseKeyring, signToken, verifyToken } from "../src/core/token";

// Built on first use: workerd forbids crypto in the global scope.
let keyed: Promise<{ ring: Keyring; token: string }> | undefined;
const keyedToken = () =>
  (keyed ??= parseKeyring("B1:bench-signing-key-0123456789abcdef").then(async (ring) => ({
    ring,
    token: (await signToken(ring, "h", { expiresAt: 4_000_000_000 })).token,
  })));

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 64 distinct `HTTPS://QR.EXAMPLE.COM/H/<36-char token>` URLs from a fixed-seed LCG. */
const URLS: string[] = (() => {
  let seed = 0x2f6e2b1;
  const out: string[] = [];
  for (let i = 0; i < 64; i++) {
    let token = "";
    for (let j = 0; j < 36; j++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      token += ALPHABET[(seed >>> 16) & 31];
    }
    out.push(`HTTPS://QR.EXAMPLE.COM/H/${token}`);
  }
  return out;
})();

type Op = (url: string) => number | Promise<number>;

const OPS: Record<string, Op> = {
  noop: (url) => url.length,
  create: (url) => QRCodeCore.create(url, { errorCorrectionLevel: "M" }).modules.size,
  svg: (url) => renderSvg(url).length,
  png: async (url) => (await renderPng(url)).length,
  verify: async () => {
    const { ring, token } = await keyedToken();
    const check = await verifyToken(ring, "h", token, 1_800_000_000);
    return check.ok ? 1 : 0;
  },
};

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const op = OPS[url.pathname.slice(1)];
    if (!op) return new Response("endpoints: /noop /create /svg /png ?n=N", { status: 404 });
    const n = Math.min(100_000, Math.max(1, Number(url.searchParams.get("n")) || 1));
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const r = op(URLS[i & 63]!);
      sink += typeof r === "number" ? r : await r;
    }
    return Response.json({ op: url.pathname.slice(1), n, sink });
  },
};
