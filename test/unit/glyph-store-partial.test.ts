// GlyphStore with blocks kept in part (store/print-fonts.ts keeps of a block only the characters
// that asked for it): a lookup answers as with the whole block, asking for it again when a
// character it has was not kept.
import { describe, expect, it } from "vitest";
import type { FaceInfo, Glyph } from "../../src/core/glyph-pack";
import { GlyphStore } from "../../src/core/glyph-store";

const face = (id: FaceInfo["id"], blocks: number[]): FaceInfo => ({
  id,
  name: id,
  unitsPerEm: 1000,
  ascent: 880,
  descent: -120,
  capHeight: 733,
  bbox: [0, 0, 1000, 1000],
  blocks,
  notdef: { advance: 500, glyph: new Uint8Array([9]) },
});
const glyph = (cp: number, tag: number): Glyph => ({
  cp,
  advance: 1000,
  outline: new Uint8Array([tag]),
});
/** The bits of a block's characters, as the loader sends them. */
const bits = (cps: number[]) => {
  const has = new Uint8Array(32);
  for (const cp of cps) has[(cp & 0xff) >> 3]! |= 1 << (cp & 7);
  return has;
};

describe("GlyphStore, blocks in part", () => {
  const chain: FaceInfo["id"][] = ["latn-700", "sc-700"];
  const store = () => {
    const s = new GlyphStore();
    s.addFace(face("latn-700", [0x4e]));
    s.addFace(face("sc-700", [0x4e]));
    return s;
  };

  it("asks again for a block that has the character but did not keep it; a second part merges", () => {
    const s = store();
    // latn-700's block 0x4e has 0x4e00 and 0x4e01; only 0x4e00 was kept.
    s.addBlock("latn-700", 0x4e, new Map([[0x4e00, glyph(0x4e00, 1)]]), bits([0x4e00, 0x4e01]));
    expect(s.lookup(chain, 0x4e00)).toEqual({
      placed: { face: "latn-700", glyph: glyph(0x4e00, 1) },
    });
    expect(s.lookup(chain, 0x4e01)).toEqual({ need: ["latn-700", 0x4e] });
    s.addBlock("latn-700", 0x4e, new Map([[0x4e01, glyph(0x4e01, 2)]]), bits([0x4e00, 0x4e01]));
    expect(s.lookup(chain, 0x4e01)).toEqual({
      placed: { face: "latn-700", glyph: glyph(0x4e01, 2) },
    });
    expect(s.lookup(chain, 0x4e00)).toEqual({
      placed: { face: "latn-700", glyph: glyph(0x4e00, 1) },
    });
    expect(s.glyphCount()).toBe(2);
  });

  it("passes a character the block lacks on to the next face, as with the whole block", () => {
    const s = store();
    s.addBlock("latn-700", 0x4e, new Map(), bits([0x4e00]));
    expect(s.lookup(chain, 0x4e02)).toEqual({ need: ["sc-700", 0x4e] });
    s.addBlock("sc-700", 0x4e, new Map([[0x4e02, glyph(0x4e02, 3)]]), bits([0x4e02]));
    expect(s.place(chain, 0x4e02)).toEqual({ face: "sc-700", glyph: glyph(0x4e02, 3) });
  });

  it("a whole block stays whole: a part added after it changes nothing", () => {
    const s = store();
    s.addBlock("latn-700", 0x4e, new Map([[0x4e00, glyph(0x4e00, 1)]]));
    s.addBlock("latn-700", 0x4e, new Map([[0x4e01, glyph(0x4e01, 2)]]), bits([0x4e00, 0x4e01]));
    // Without a part's bits a character the map lacks is not in the block: the next face.
    expect(s.lookup(chain, 0x4e01)).toEqual({ need: ["sc-700", 0x4e] });
    expect(s.glyphCount()).toBe(1);
  });
});
