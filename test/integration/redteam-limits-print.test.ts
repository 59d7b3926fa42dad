// Red team, one print file's memory and fetches. A file's fonts were whole glyph blocks (256
// characters of a face), held until it was written: names drawing one character from each block
// held them all, so 12 cards loaded 1,823 blocks (45 MB of packs, 73 MB held) and a 1,200-card
// PDF of a Chinese, Japanese and Korean chain held 43 MB (`node bench/print-memory.mjs`) — with a
// second such print at once, past the isolate's 128 MB, which would end every request it serves
// and the hops their `waitUntil` still had to send. Now a file keeps only the glyphs its texts
// set, fetches six blocks at a time, and refuses (400) texts needing more than
// LIMITS.printCharacters glyphs or LIMITS.printFontBlocks blocks before fetching past them.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "../../src/core/errors";
import {
  type FaceId,
  faceChain,
  PACK_PATH,
  type Region,
  readBlock,
  readFace,
} from "../../src/core/glyph-pack";
import { GlyphStore } from "../../src/core/glyph-store";
import { glyphPath } from "../../src/core/truetype";
import { LIMITS } from "../../src/limits";
import { forgetPrintFonts, loadPrintFonts, type TextNeed } from "../../src/store/print-fonts";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

const fonts = (env as unknown as { PRINT_FONTS: Fetcher }).PRINT_FONTS;
const url = (path: string) => `https://print-fonts.invalid${PACK_PATH}/${path}`;

/** The binding, with its block fetches counted. */
function countedFonts() {
  const seen = { blocks: 0 };
  const binding = {
    fetch(req: Request) {
      if (new URL(req.url).pathname.endsWith(".bin")) seen.blocks++;
      return fonts.fetch(req);
    },
  } as unknown as Fetcher;
  return { binding, seen };
}

/** Blocks of `face` whose first code point is an assigned Han or Hangul character. */
async function hanBlocks(face: FaceId): Promise<number[]> {
  const info = readFace(await (await fonts.fetch(url(`${face}/face.json`))).json());
  return info.blocks.filter(
    (b) => (b >= 0x34 && b <= 0x9f) || (b >= 0xac && b <= 0xd7) || (b >= 0x200 && b <= 0x2a6),
  );
}

/** Texts drawing one character of each such block of the CJK faces, each set in its own face. */
async function oneCharacterPerBlock(): Promise<{ text: string; bold: boolean }[]> {
  const prefix: Partial<Record<Region, string>> = { sc: "", jp: "の", kr: "한" };
  const texts: { text: string; bold: boolean }[] = [];
  for (const region of ["sc", "jp", "kr"] as const)
    for (const bold of [true, false]) {
      const cps = (await hanBlocks(`${region}-${bold ? 700 : 400}`)).map((b) => b << 8);
      const size = bold ? 90 : 45; // a store name's 200 and a label's 100 UTF-16 units
      for (let i = 0; i < cps.length; i += size)
        texts.push({
          text: prefix[region] + String.fromCodePoint(...cps.slice(i, i + size)),
          bold,
        });
    }
  return texts;
}

const need = (text: string, bold: boolean, region: Region): TextNeed => ({
  text,
  style: bold ? "bold" : "regular",
  region,
});

/** Han characters a busy chain's names use: deterministic, spread over the whole block range. */
function chainNames(n: number): string[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  return Array.from({ length: n }, () =>
    String.fromCodePoint(...Array.from({ length: 6 }, () => 0x4e00 + (next() % 0x51a6))),
  );
}

/** The glyph each character of `needs` gets from whole blocks, loaded without the loader. */
async function wholeBlockGlyphs(needs: TextNeed[]): Promise<Map<string, Uint8Array | null>> {
  const store = new GlyphStore();
  const ids = [...new Set(needs.flatMap((n) => faceChain(n.style, n.region)))];
  for (const id of ids) {
    const res = await fonts.fetch(url(`${id}/face.json`));
    if (res.ok) store.addFace(readFace(await res.json()));
  }
  const out = new Map<string, Uint8Array | null>();
  for (const n of needs) {
    const chain = faceChain(n.style, n.region);
    for (const ch of n.text) {
      const cp = ch.codePointAt(0)!;
      for (let found = store.lookup(chain, cp); ; found = store.lookup(chain, cp)) {
        if (!found.need) {
          out.set(`${chain[0]}:${cp}`, found.placed?.glyph.outline ?? null);
          break;
        }
        const [id, block] = found.need;
        const res = await fonts.fetch(url(`${id}/${block.toString(16)}.bin`));
        store.addBlock(
          id,
          block,
          res.ok ? readBlock(new Uint8Array(await res.arrayBuffer())) : new Map(),
        );
      }
    }
  }
  return out;
}

beforeEach(() => forgetPrintFonts());

describe("redteam: one print file's fonts are bounded", () => {
  it("a selection whose names draw one character per block: 400 before fetching past the bound", async () => {
    const texts = await oneCharacterPerBlock();
    const needs = texts.map((t) =>
      need(t.text, t.bold, t.text.startsWith("の") ? "jp" : t.text.startsWith("한") ? "kr" : "sc"),
    );
    const { binding, seen } = countedFonts();
    const err = await loadPrintFonts(binding, needs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("validation_failed");
    expect((err as ApiError).details).toMatchObject({
      field: "ids",
      limit: LIMITS.printFontBlocks,
    });
    // Refused before a round would pass the bound; no block is fetched twice.
    expect(seen.blocks).toBeLessThanOrEqual(LIMITS.printFontBlocks);
  });

  it("the same names over HTTP: the PDF is a 400 JSON error, the SVG sheet falls back to system fonts", async () => {
    const texts = await oneCharacterPerBlock();
    const names = texts.filter((t) => t.bold);
    const labels = texts.filter((t) => !t.bold);
    const posters = [];
    for (let i = 0; i < Math.max(names.length, labels.length); i++) {
      const store = await makeStore(names[i % names.length]!.text);
      posters.push(
        await makePoster({ store_id: store.id, label: labels[i % labels.length]!.text }),
      );
    }
    const ids = posters.map((p) => p.id).join(",");
    const key = await posterKey();
    const pdf = await call(`/v1/posters/print-sheet.pdf?ids=${ids}`, { key });
    expect(pdf.status).toBe(400);
    const body = (await pdf.json()) as { error: string; message: string; details: unknown };
    expect(body.error).toBe("validation_failed");
    expect(body.message).toMatch(/font blocks/);
    expect(body.details).toMatchObject({ field: "ids" });
    const svg = await call(`/v1/posters/print-sheet.svg?ids=${ids}`, { key });
    expect(svg.status).toBe(200);
    expect(svg.headers.get("x-print-fonts")).toBe("system");
  });

  it("more glyphs than the bound (dense names): 400 before any block is fetched", async () => {
    const dense = Array.from({ length: 240 }, (_, i) =>
      need(
        String.fromCodePoint(...Array.from({ length: 90 }, (_, j) => 0x4e00 + i * 90 + j)),
        true,
        "sc",
      ),
    );
    const { binding, seen } = countedFonts();
    const err = await loadPrintFonts(binding, dense).catch((e: unknown) => e);
    expect((err as ApiError).details).toMatchObject({
      field: "ids",
      limit: LIMITS.printCharacters,
    });
    expect(seen.blocks).toBe(0);
  });

  it("a 1,200-store chain's names: only the glyphs set are held, each the glyph whole blocks give", async () => {
    const names = chainNames(1200);
    const needs = [
      ...names.map((n) => need(n, true, "sc")),
      ...names.slice(0, 400).map((n) => need(`の${n}`, false, "jp")),
      ...names.slice(400, 800).map((n) => need(`Şişli ${n}`, false, "latn")),
      ...names.slice(800).map((n) => need(`한${n}`, true, "kr")),
    ];
    const { binding, seen } = countedFonts();
    const store = await loadPrintFonts(binding, needs);
    expect(store).not.toBeNull();
    const expected = await wholeBlockGlyphs(needs);
    // Whole blocks held 256 characters a block; a file now holds one glyph per character set.
    expect(store!.glyphCount()).toBeLessThanOrEqual(expected.size);
    expect(seen.blocks * 100).toBeGreaterThan(expected.size); // many blocks, mostly unused
    for (const n of needs) {
      const chain = faceChain(n.style, n.region);
      for (const ch of n.text) {
        const cp = ch.codePointAt(0)!;
        const placed = store!.place(chain, cp);
        const want = expected.get(`${chain[0]}:${cp}`);
        if (want) expect(placed?.glyph.outline, `U+${cp.toString(16)}`).toEqual(want);
        else expect(placed?.glyph.cp).toBe(cp); // no face has it: a box standing for it
      }
    }
  }, 120_000); // ~15 s alone; twice that beside another test run: the timeout only catches a hang
});

describe("a name cut to fit its card still draws every glyph", () => {
  /** The store name's line of a card's SVG: the outline each `<use>` of it draws. */
  const nameOutlines = (svg: string): string[] => {
    const defs = new Map(
      [...svg.matchAll(/<path id="(g\d+)" d="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]),
    );
    const line = svg.match(/<g class="text bold"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
    return [...line.matchAll(/xlink:href="#(g\d+)"/g)].map((m) => defs.get(m[1]!)!);
  };

  it("an Arabic name cut mid-word: its last letter takes a form the whole name never drew, not a box", async () => {
    // Letters that join on both sides, so every letter inside a word is medial; the cut makes
    // the last one kept final.
    const name = Array.from({ length: 12 }, () => "بيتسمعكلهم").join("");
    const store = await makeStore(name);
    const poster = await makePoster({ store_id: store.id });
    const res = await call(`/v1/posters/${poster.id}/print.svg?size=2cm&lang=ar`, {
      key: await posterKey(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-print-fonts")).toBe("outlines");
    const svg = await res.text();
    const outlines = nameOutlines(svg);
    const face = readFace(await (await fonts.fetch(url("ar-700/face.json"))).json());
    const box = glyphPath(face.notdef.glyph);
    // Cut: fewer glyphs than letters, an ellipsis among them; none of them the box.
    expect(outlines.length).toBeGreaterThan(3);
    expect(outlines.length).toBeLessThan([...name].length);
    expect(outlines).not.toContain(box);
  });
});
