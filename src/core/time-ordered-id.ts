/**
 * Ids that sort by the time they were made: the time in a fixed number of characters, then
 * random characters. Used for the keys of tables that grow by thousands of rows a minute
 * (hop event ids, attribution sessions).
 *
 * Why: SQLite (D1) keeps every index as a B-tree. A random key lands on a random leaf page, so
 * once an index outgrows the page cache every insert reads and rewrites a page of its own; a key
 * that grows with time lands on the last page, next to the one before it. Measured with
 * `npm run bench -- ingest` (workerd, the real schema): with random event and session ids the
 * cost of a hop row grew from ~45 to ~125 µs as the table grew to 400,000 rows; with
 * time-ordered ids it stayed at ~20 µs.
 */
import { customAlphabet } from "nanoid";

/**
 * A generator of ids of `timeWidth + randomLength` characters of `alphabet`: the time first (a
 * whole number in the caller's unit: unix ms for hop event ids, unix seconds for sessions), most
 * significant character first, so that ids of later times sort after earlier ones (the alphabet
 * must be in ascending character order); then `randomLength` random characters that keep ids of
 * the same instant apart.
 *
 * @example
 * const newId = timeOrderedIds("0123456789abcdefghijklmnopqrstuvwxyz", 9, 11);
 * newId(1_767_225_600_000); // "0mjuohs00" + 11 random characters
 */
export function timeOrderedIds(
  alphabet: string,
  timeWidth: number,
  randomLength: number,
): (time: number) => string {
  for (let i = 1; i < alphabet.length; i++) {
    if (alphabet[i - 1]! >= alphabet[i]!) throw new Error("alphabet must be in ascending order");
  }
  const limit = alphabet.length ** timeWidth;
  const tail = customAlphabet(alphabet, randomLength);
  return (time) => {
    let t = Math.floor(time);
    if (!(t >= 0 && t < limit))
      throw new RangeError(`time ${time} does not fit ${timeWidth} characters`);
    let head = "";
    for (let i = 0; i < timeWidth; i++) {
      head = alphabet[t % alphabet.length] + head;
      t = Math.floor(t / alphabet.length);
    }
    return head + tail();
  };
}

/**
 * The time at the start of an id made by {@link timeOrderedIds} with the same alphabet
 * and width; null when the prefix is not written in the alphabet.
 *
 * @example
 * idTime("0mjuohs00k2…", "0123456789abcdefghijklmnopqrstuvwxyz", 9); // 1767225600000
 */
export function idTime(id: string, alphabet: string, timeWidth: number): number | null {
  if (id.length < timeWidth) return null;
  let t = 0;
  for (let i = 0; i < timeWidth; i++) {
    const digit = alphabet.indexOf(id[i]!);
    if (digit < 0) return null;
    t = t * alphabet.length + digit;
  }
  return t;
}
