/**
 * The print kit's glyph packs, read through the `PRINT_FONTS` binding: the Worker's static
 * assets (`[assets]` in wrangler.toml, built into build/assets by scripts/build-fonts.mjs and
 * uploaded by `wrangler deploy`), so ~60 MB of fonts never count against the bundle. A file
 * loads only the blocks (256 code points) its texts use, a few at a time, and keeps of a Han,
 * Hangul or emoji block only the glyphs of its texts' characters (core/glyph-pack.ts
 * independentBlock); an isolate keeps recent blocks in memory, so a second print of the same
 * names fetches nothing.
 */

import { visualLine } from "../core/bidi";
import { ApiError } from "../core/errors";
import {
  type FaceId,
  type FaceInfo,
  faceChain,
  GLYPH_ID_BASE,
  type Glyph,
  independentBlock,
  PACK_PATH,
  type Region,
  readBlock,
  readFace,
  type TextStyle,
} from "../core/glyph-pack";
import { GlyphStore } from "../core/glyph-store";
import type { Shaper } from "../core/harfbuzz";
import { shapeRun } from "../core/shaped-marks";
import { shapedRuns } from "../core/shaped-runs";
import { type ShapedScript, shapedFace } from "../core/shaped-scripts";
import { placeThaiMarks } from "../core/thai-marks";
import { LIMITS } from "../limits";

/** A text to be printed, with how it is set. */
export interface TextNeed {
  text: string;
  style: TextStyle;
  /** Whose glyph forms the Han characters take (glyph-pack.ts regionFor). */
  region: Region;
  /** The language it is written in (BCP 47), which its shaped runs' glyphs depend on. */
  lang?: string;
}

// Per isolate: face.json files (small) for good, blocks up to a byte budget (oldest out first).
const faces = new Map<FaceId, Promise<FaceInfo | null>>();
const blocks = new Map<string, Promise<Uint8Array | null>>();
const blockSizes = new Map<string, number>();
const BLOCK_BUDGET = 24 * 1024 * 1024;
let blockBytes = 0;
/** Blocks fetched at once by one file (what is in flight is held whole). */
const BLOCKS_AT_ONCE = 6;

async function get(binding: Fetcher, path: string): Promise<Response | null> {
  const res = await binding.fetch(new Request(`https://print-fonts.invalid${PACK_PATH}/${path}`));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`print fonts: ${path} answered ${res.status}`);
  return res;
}

function loadFace(binding: Fetcher, id: FaceId): Promise<FaceInfo | null> {
  let p = faces.get(id);
  if (!p) {
    p = get(binding, `${id}/face.json`).then(async (res) =>
      res ? readFace(await res.json()) : null,
    );
    p.catch(() => faces.delete(id));
    faces.set(id, p);
  }
  return p;
}

function loadBlock(binding: Fetcher, id: FaceId, block: number): Promise<Uint8Array | null> {
  const key = `${id}/${block.toString(16)}`;
  let p = blocks.get(key);
  if (p) {
    blocks.delete(key); // most recently used last
    blocks.set(key, p);
    return p;
  }
  p = get(binding, `${key}.bin`).then(async (res) => {
    const bytes = res ? new Uint8Array(await res.arrayBuffer()) : null;
    const size = bytes?.length ?? 0;
    blockSizes.set(key, size);
    blockBytes += size;
    for (const old of blocks.keys()) {
      if (blockBytes <= BLOCK_BUDGET || old === key) break;
      blockBytes -= blockSizes.get(old) ?? 0;
      blocks.delete(old);
      blockSizes.delete(old);
    }
    return bytes;
  });
  p.catch(() => blocks.delete(key));
  blocks.set(key, p);
  return p;
}

/**
 * The glyphs `needs` call for, loaded in rounds: the faces of every chain, then for each
 * character the block of the first face that covers it (the next face's when that block lacks
 * the character). Null without the binding or when its directory holds no packs: the caller
 * degrades (see routes/print.ts). Texts with more than `LIMITS.printCharacters` distinct
 * characters, or needing more than `LIMITS.printFontBlocks` blocks, are a 400 `validation_failed`
 * naming `ids`, before those blocks are fetched.
 *
 * @example
 * const store = await loadPrintFonts(c.env.PRINT_FONTS, [{ text: "渋谷店", style: "bold", region: "jp" }]);
 */
export async function loadPrintFonts(
  binding: Fetcher | undefined,
  needs: TextNeed[],
): Promise<GlyphStore | null> {
  if (!binding) return null;
  const store = new GlyphStore();
  // The code points drawn, not written: a joined Arabic letter's form, a moved Thai mark live
  // in other blocks. Runs of the shaped scripts (Devanagari, Bengali…) are shaped: their glyphs
  // are asked for by id, once the shaping fonts are loaded (shapedGlyphs).
  const chains: { cps: number[]; chain: FaceId[] }[] = [];
  const runs: ShapedRunNeed[] = [];
  for (const n of needs) {
    const cps: number[] = [];
    for (const item of shapedRuns(placeThaiMarks(visualLine(n.text).chars))) {
      if ("run" in item)
        runs.push({
          run: item.run,
          script: item.script,
          face: shapedFace(n.style, item.script),
          lang: n.lang,
        });
      else cps.push(item.cp);
    }
    chains.push({ cps, chain: faceChain(n.style, n.region) });
  }
  if (runs.length > 0) chains.push(...(await shapedGlyphs(binding, store, runs)));
  // Glyphs the file sets: one per character and chain (style and region) at most.
  const glyphs = new Set(chains.flatMap((c) => c.cps.map((cp) => `${c.chain[0]}:${cp}`))).size;
  if (glyphs > LIMITS.printCharacters)
    throw tooMany(
      `${glyphs.toLocaleString("en")} characters`,
      LIMITS.printCharacters,
      "characters",
    );
  const ids = [...new Set(chains.flatMap((c) => c.chain))];
  const loaded = await Promise.all(ids.map((id) => loadFace(binding, id)));
  for (const face of loaded) if (face) store.addFace(face);
  if (!loaded.some(Boolean)) return null;
  // Each round loads, per character, the block of the next face of its chain that may have it,
  // and keeps of it the characters that asked; one asking later for a block kept in part has it
  // loaded again (from the isolate's cache, mostly). Every round places or passes a character
  // on, so a round per face of the longest chain, twice, always ends.
  const rounds = 2 * Math.max(...chains.map((c) => c.chain.length));
  const blocksUsed = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    const wanted = new Map<string, { id: FaceId; block: number; cps: Set<number> }>();
    for (const { cps, chain } of chains) {
      for (const cp of cps) {
        const found = store.lookup(chain, cp);
        if (!found.need) continue;
        const [id, block] = found.need;
        const key = `${id}/${block}`;
        const want = wanted.get(key) ?? { id, block, cps: new Set<number>() };
        want.cps.add(cp);
        wanted.set(key, want);
        blocksUsed.add(key);
      }
    }
    if (wanted.size === 0) break;
    if (blocksUsed.size > LIMITS.printFontBlocks)
      throw tooMany(
        `over ${blocksUsed.size.toLocaleString("en")} font blocks`,
        LIMITS.printFontBlocks,
        "font blocks",
      );
    const queue = [...wanted.values()];
    const loader = async () => {
      for (let want = queue.shift(); want; want = queue.shift()) {
        const bytes = await loadBlock(binding, want.id, want.block);
        const all = bytes ? readBlock(bytes) : new Map<number, Glyph>();
        if (independentBlock(want.block))
          store.addBlock(want.id, want.block, glyphsOf(all, want.cps), charactersOf(all));
        else store.addBlock(want.id, want.block, all);
      }
    };
    await Promise.all(Array.from({ length: BLOCKS_AT_ONCE }, loader));
  }
  return store;
}

/** A run of a shaped script a text sets, in the face and language that set it. */
interface ShapedRunNeed {
  run: string;
  script: ShapedScript;
  face: FaceId;
  lang?: string;
}

/**
 * The shaping fonts of `runs`' faces, added to `store`, and the glyphs (by id, in each face's
 * pack at GLYPH_ID_BASE + id) their shaping draws, as chains for the loader: HarfBuzz is
 * imported only here, by a file with text of a shaped script. A face whose pack has no shaping font is
 * left out: its runs are drawn letter by letter, as boxes.
 */
async function shapedGlyphs(
  binding: Fetcher,
  store: GlyphStore,
  runs: ShapedRunNeed[],
): Promise<{ cps: number[]; chain: FaceId[] }[]> {
  const { shaperFor } = await import("./print-shaping");
  const faces = [...new Set(runs.map((r) => r.face))];
  const shapers = await Promise.all(
    faces.map((face) =>
      shaperFor(face, async () => {
        const res = await get(binding, `${face}/shaping.bin`);
        return res ? new Uint8Array(await res.arrayBuffer()) : null;
      }),
    ),
  );
  const byFace = new Map<FaceId, Shaper>();
  faces.forEach((face, i) => {
    const shaper = shapers[i];
    if (!shaper) return;
    byFace.set(face, shaper);
    store.addShaper(face, shaper);
  });
  const gids = new Map<FaceId, Set<number>>();
  for (const { run, script, face, lang } of runs) {
    const shape = byFace.get(face);
    if (!shape) continue;
    const set = gids.get(face) ?? new Set<number>();
    // Shaped as the layout shapes it (pages/print-shaped-glyphs.ts), so it draws no glyph unloaded.
    for (const g of shapeRun(shape, run, script, lang)) set.add(GLYPH_ID_BASE + g.gid);
    gids.set(face, set);
  }
  return [...gids].map(([face, cps]) => ({ cps: [...cps], chain: [face] }));
}

/** The glyphs of `cps`, copied out of the block, so the file does not hold the block's bytes. */
function glyphsOf(all: Map<number, Glyph>, cps: ReadonlySet<number>): Map<number, Glyph> {
  const kept = new Map<number, Glyph>();
  for (const cp of cps) {
    const glyph = all.get(cp);
    if (glyph) kept.set(cp, { ...glyph, outline: glyph.outline.slice() });
  }
  return kept;
}

/** Which of its 256 characters a block has, a bit each. */
function charactersOf(all: Map<number, Glyph>): Uint8Array {
  const has = new Uint8Array(32);
  for (const cp of all.keys()) has[(cp & 0xff) >> 3]! |= 1 << (cp & 7);
  return has;
}

function tooMany(what: string, limit: number, unit: string): ApiError {
  return new ApiError(
    "validation_failed",
    `ids: the names and labels of these posters need ${what}; a print file takes at most ${limit.toLocaleString("en")} ${unit}: print them in smaller selections`,
    { field: "ids", limit },
  );
}

/**
 * Forget the blocks and faces this isolate keeps (tests that swap the binding).
 *
 * @example
 * forgetPrintFonts();
 */
export function forgetPrintFonts(): void {
  faces.clear();
  blocks.clear();
  blockSizes.clear();
  blockBytes = 0;
}
