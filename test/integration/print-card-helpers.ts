// Helpers for the print tests that read a store name off a card: the glyph packs as the Worker
// reads them, a face's .notdef box, a poster's card in a language, and the outlines a card's SVG
// draws for its store name.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { GLYPH_ID_BASE, PACK_PATH, readBlock, readFace } from "../../src/core/glyph-pack";
import { glyphPath } from "../../src/core/truetype";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

/** A file of the glyph packs (`<face>/face.json`, `<face>/<block>.bin`), as the Worker fetches it. */
export const pack = (path: string) =>
  (env as unknown as { PRINT_FONTS: Fetcher }).PRINT_FONTS.fetch(
    `https://print-fonts.invalid${PACK_PATH}/${path}`,
  );

/** The .notdef outline (the empty box) of a face of the packs, as an SVG path. */
export async function notdefPath(face: string): Promise<string> {
  const res = await pack(`${face}/face.json`);
  expect(res.status, face).toBe(200);
  return glyphPath(readFace(await res.json()).notdef.glyph);
}

/**
 * The print card in `lang` (none: the card's default) of a new poster of a new store named
 * `storeName`, 5 cm unless `size` says, with the poster's print `label` if given.
 */
export async function storeCard(
  storeName: string,
  lang: string | undefined,
  file: "print.pdf" | "print.svg",
  { label, size = "5cm" }: { label?: string; size?: string } = {},
) {
  const poster = await makePoster({
    store_id: (await makeStore(storeName)).id,
    ...(label === undefined ? {} : { label }),
  });
  const query = `size=${size}${lang === undefined ? "" : `&lang=${lang}`}`;
  const res = await call(`/v1/posters/${poster.id}/${file}?${query}`, { key: await posterKey() });
  expect(res.status, `${storeName} (${lang}) ${file}`).toBe(200);
  return res;
}

/** The store name's line of a card's SVG: the glyph outlines each `<use>` of it draws. */
export function nameOutlines(svg: string): string[] {
  const defs = new Map(
    [...svg.matchAll(/<path id="(g\d+)" d="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]),
  );
  const name = svg.match(/<g class="text bold"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
  return [...name.matchAll(/xlink:href="#(g\d+)"/g)].map((m) => defs.get(m[1]!)!);
}

/** The bytes of a font imported as a data URL (`…ttf?inline`). */
export function fontBytes(dataUrl: string): Uint8Array {
  const bin = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The outline the pack holds for glyph `gid` of a shaped script's `face`, as an SVG path. */
export async function glyphOutline(face: string, gid: number): Promise<string> {
  const cp = GLYPH_ID_BASE + gid;
  const res = await pack(`${face}/${(cp >> 8).toString(16)}.bin`);
  expect(res.status, `${face} glyph ${gid}`).toBe(200);
  const glyph = readBlock(new Uint8Array(await res.arrayBuffer())).get(cp);
  expect(glyph, `${face} has glyph ${gid}`).toBeDefined();
  return glyphPath(glyph!.outline);
}

/** The store name's `<use>` elements of a card's SVG: x and y as drawn (font units). */
export function nameUses(svg: string): { x: number; y: number }[] {
  const name = svg.match(/<g class="text bold"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
  return [...name.matchAll(/<use xlink:href="#g\d+" x="(-?\d+)"(?: y="(-?\d+)")?\/>/g)].map(
    (m) => ({ x: Number(m[1]), y: Number(m[2] ?? 0) }),
  );
}
