/**
 * The print kit's glyph packs, read through the `PRINT_FONTS` binding: the Worker's static
 * assets (`[assets]` in wrangler.toml, built into build/assets by scripts/build-fonts.mjs and
 * uploaded by `wrangler deploy`), so ~60 MB of fonts never count against the bundle. A file
 * loads only the blocks (256 code points) its texts use; an isolate keeps recent blocks in
 * memory, so a second print of the same names fetches nothing.
 */
import { visualLine } from "../core/bidi";
import {
  type FaceId,
  type FaceInfo,
  faceChain,
  GlyphStore,
  PACK_PATH,
  type Region,
  readBlock,
  readFace,
  type TextStyle,
} from "../core/glyph-pack";
import { placeThaiMarks } from "../core/thai-marks";

/** A text to be printed, with how it is set. */
export interface TextNeed {
  text: string;
  style: TextStyle;
  /** Whose glyph forms the Han characters take (glyph-pack.ts regionFor). */
  region: Region;
}

// Per isolate: face.json files (small) for good, blocks up to a byte budget (oldest out first).
const faces = new Map<FaceId, Promise<FaceInfo | null>>();
const blocks = new Map<string, Promise<Uint8Array | null>>();
const blockSizes = new Map<string, number>();
const BLOCK_BUDGET = 24 * 1024 * 1024;
let blockBytes = 0;

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
 * degrades (see routes/print.ts).
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
  // in other blocks.
  const chains = needs.map((n) => ({
    cps: placeThaiMarks(visualLine(n.text).chars).map((c) => c.cp),
    chain: faceChain(n.style, n.region),
  }));
  const ids = [...new Set(chains.flatMap((c) => c.chain))];
  const loaded = await Promise.all(ids.map((id) => loadFace(binding, id)));
  for (const face of loaded) if (face) store.addFace(face);
  if (!loaded.some(Boolean)) return null;
  // Each round loads, per character, the block of the next face of its chain that may have it.
  const rounds = Math.max(...chains.map((c) => c.chain.length));
  for (let round = 0; round < rounds; round++) {
    const wanted = new Map<string, [FaceId, number]>();
    for (const { cps, chain } of chains) {
      for (const cp of cps) {
        const found = store.lookup(chain, cp);
        if (found.need) wanted.set(found.need.join("/"), found.need);
      }
    }
    if (wanted.size === 0) break;
    await Promise.all(
      [...wanted.values()].map(async ([id, block]) => {
        const bytes = await loadBlock(binding, id, block);
        store.addBlock(id, block, bytes ? readBlock(bytes) : new Map());
      }),
    );
  }
  return store;
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
