/**
 * Where a card line may be cut to fit (print-layout.ts truncateToWidth): between grapheme
 * clusters that are also whole shaped clusters. Pure.
 */

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * A virama, Sinhala's al-lakuna, Khmer's coeng or Myanmar's invisible stacker at the end of a
 * cluster, a zero-width joiner after it or not: the consonant after it is part of the same
 * syllable (a conjunct, a half form, a subscript or stacked consonant), which HarfBuzz shapes as
 * one cluster. Grapheme rules keep that together for six Indic scripts only, and only from
 * Unicode 15.1 on (the runtime's ICU decides): Tamil `க்ஷ`, Sinhala `ශ්‍රී`, Kannada `ಶ್ರೀ`
 * are two grapheme clusters each.
 */
const JOINS_NEXT =
  /[\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca\u0eba\u17d2\u1039]\u200d?$|\u200d$/u;

/**
 * The offsets (UTF-16) after which `text` may be cut, 0 first and its length last: the ends of
 * its grapheme clusters, less those inside a syllable: before a cluster that starts with a mark
 * (Myanmar's `ေ` and `ာ်` in `ကော်` are two grapheme clusters in some ICU versions, one syllable),
 * and after one that ends with a virama (or a stacker, or a joiner) when a letter follows.
 * A cut there never splits what HarfBuzz shapes as one cluster: the kept part draws the glyphs
 * of its syllables, not a half form or a dangling vowel sign.
 *
 * @example
 * cutPoints("ශ්‍රී") // [0, 5] (one syllable: ශ, al-lakuna, joiner, ර, ී)
 * cutPoints("ហាងកាហ្វេ") // [0, 2, 3, 5, 9]
 * cutPoints("abc") // [0, 1, 2, 3]
 */
export function cutPoints(text: string): number[] {
  const ends = [0];
  let last = "";
  for (const { index, segment } of graphemes.segment(text)) {
    const inside =
      index > 0 && (/^\p{M}/u.test(segment) || (/^\p{L}/u.test(segment) && JOINS_NEXT.test(last)));
    if (inside) ends[ends.length - 1] = index + segment.length;
    else ends.push(index + segment.length);
    last = inside ? last + segment : segment;
  }
  return ends;
}
