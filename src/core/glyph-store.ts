/**
 * The faces and glyph blocks a print file has loaded (core/glyph-pack.ts reads them), looked
 * up synchronously while the file is laid out.
 */
import type { FaceId, FaceInfo, Glyph } from "./glyph-pack";
import type { Shaper } from "./harfbuzz";

/** The glyph a text shows for a character, and the face it comes from. */
export interface Placed {
  face: FaceId;
  glyph: Glyph;
}

/**
 * The faces and blocks loaded for a file, looked up synchronously while laying it out. A
 * loader fills it in rounds: {@link GlyphStore.lookup} says which block it still needs.
 *
 * @example
 * const store = new GlyphStore();
 * store.addFace(face); store.addBlock("sc-400", 0x6e, readBlock(bytes));
 * store.place(faceChain("regular", "sc"), 0x6e0b); // { face: "sc-400", glyph }
 */
export class GlyphStore {
  private readonly faces = new Map<FaceId, FaceInfo>();
  private readonly blocks = new Map<string, Map<number, Glyph>>();
  /** Of a block added in part: which of its 256 characters it has (a bit each). */
  private readonly partial = new Map<string, Uint8Array>();
  /** The shaped faces' HarfBuzz fonts (Devanagari, Bengali…), by face. */
  private readonly shapers = new Map<FaceId, Shaper>();

  addFace(face: FaceInfo): void {
    this.faces.set(face.id, face);
  }

  /**
   * A block's glyphs. With `has` (a bit per character of the block: which it holds), they may be
   * a part of it: a lookup of a character it has and `glyphs` lacks asks for the block again,
   * and a second part is added to the first.
   */
  addBlock(face: FaceId, block: number, glyphs: Map<number, Glyph>, has?: Uint8Array): void {
    const key = `${face}/${block}`;
    const known = this.blocks.get(key);
    if (known && !this.partial.has(key)) return; // whole already
    if (known) for (const [cp, g] of glyphs) known.set(cp, g);
    else this.blocks.set(key, glyphs);
    if (has) this.partial.set(key, has);
    else this.partial.delete(key);
  }

  /** A shaped face's HarfBuzz font: its runs are shaped with it (pages/print-text.ts). */
  addShaper(face: FaceId, shaper: Shaper): void {
    this.shapers.set(face, shaper);
  }

  /** The HarfBuzz font of a shaped face, when loaded with its face and blocks. */
  shaper(face: FaceId): Shaper | undefined {
    return this.faces.has(face) ? this.shapers.get(face) : undefined;
  }

  face(id: FaceId): FaceInfo | undefined {
    return this.faces.get(id);
  }

  /** Glyphs held (what a file's fonts weigh, less the faces' metrics). */
  glyphCount(): number {
    let n = 0;
    for (const glyphs of this.blocks.values()) n += glyphs.size;
    return n;
  }

  /** Faces this store has, of a chain (a face whose face.json is missing is skipped). */
  has(id: FaceId): boolean {
    return this.faces.has(id);
  }

  /**
   * The first face of `chain` that has `cp`: `{placed}`, or `{need}` naming a face and block to
   * load before it can tell, or `{placed: null}` when no face of the chain has it.
   */
  lookup(
    chain: FaceId[],
    cp: number,
  ): { placed: Placed | null; need?: undefined } | { need: [FaceId, number] } {
    const block = cp >> 8;
    for (const id of chain) {
      const face = this.faces.get(id);
      if (!face?.blocks.includes(block)) continue;
      const key = `${id}/${block}`;
      const glyphs = this.blocks.get(key);
      if (!glyphs) return { need: [id, block] };
      const glyph = glyphs.get(cp);
      if (glyph) return { placed: { face: id, glyph } };
      const has = this.partial.get(key);
      if (has && (has[(cp & 0xff) >> 3]! >> (cp & 7)) & 1) return { need: [id, block] };
    }
    return { placed: null };
  }

  /**
   * The glyph for `cp` from the first face of `chain` that has it; a character no face has
   * gets the first available face's .notdef (a box), still mapped to `cp` for text extraction.
   * Null only when no face of the chain is loaded at all.
   */
  place(chain: FaceId[], cp: number): Placed | null {
    const found = this.lookup(chain, cp);
    if (found.need === undefined && found.placed) return found.placed;
    return this.missing(chain, cp);
  }

  /**
   * The first available face's .notdef (a box) standing for `cp`, whether or not a face has
   * it: for a character that must not be drawn from the faces (a Private Use code point a
   * text holds, where the Thai face keeps its own forms). Null when no face is loaded.
   *
   * @example
   * store.missing(faceChain("bold", "th"), 0xf748) // { face: "th-700", glyph: { cp: 0xf748, outline: notdef } }
   */
  missing(chain: FaceId[], cp: number): Placed | null {
    const id = chain.find((f) => this.faces.has(f));
    if (!id) return null;
    const { advance, glyph } = this.faces.get(id)!.notdef;
    return { face: id, glyph: { cp, advance, outline: glyph } };
  }
}
