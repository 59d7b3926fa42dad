// Paths that a per-isolate cache makes cheap and that no other path reaches, measured so that
// each cache's saving can be shown by running the bench with it and without it (docs/performance.md,
// "What each cache saves"): a miss answered 404 or 405 (the method index), the OpenAPI document and
// its reference page, a poster's print file (the glyph packs), and a QR image with a logo that
// the Cache API does not hold (the logo's file).
import { logoPng } from "./lib.mjs";

const plain = (name, path, status = 200, method = undefined) => ({
  name,
  prepare: async (_s, n) => Array(n).fill(0),
  request: () => [path, method ? { method } : undefined],
  status,
});

export const CACHE_PATHS = [
  plain("404 GET /no-such-path", "/no-such-path", 404),
  plain("405 PUT /healthz", "/healthz", 405, "PUT"),
  plain("OpenAPI GET /openapi.json", "/openapi.json"),
  plain("API reference GET /docs", "/docs"),
  {
    name: "print PDF of a poster (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return Array(n).fill({ id: s.hot.id, key: s.secret });
    },
    request: ({ id, key }) => [`/v1/posters/${id}/print.pdf`, { key }],
    status: 200,
  },
  {
    // Each request asks another size or margin, so that the Cache API holds none of them.
    name: "QR PNG with a logo, not in the Cache API",
    async prepare(s, n) {
      if (!s.logoPoster) {
        const logo = await s.post(
          "/v1/logos",
          { png: logoPng(64, 64, disc).toString("base64") },
          { key: s.secret },
        );
        const style = { logo: logo.id };
        s.logoPoster = await s.post(
          "/v1/posters",
          { name: "logo", path: "/menu", style },
          { key: s.secret },
        );
        s.logoImages = 0;
      }
      const code = s.logoPoster.url.split("/").at(-1);
      return Array.from({ length: n }, () => {
        const i = s.logoImages++;
        const query = `margin=${i % 17}&ec=${"LMQH"[Math.floor(i / 17) % 4]}&scale=${4 + Math.floor(i / 68)}`;
        return `/qr/p/${code}.png?${query}`;
      });
    },
    request: (url) => [url],
    status: 200,
  },
];

/** A 64 × 64 logo: a dark red disc on transparency. */
const disc = (x, y) =>
  (x - 32) ** 2 + (y - 32) ** 2 < 32 ** 2 ? [160, 20, 30, 255] : [0, 0, 0, 0];
