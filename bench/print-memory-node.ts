/**
 * One print file's font memory, in Node (bundled and run by bench/print-memory.mjs with
 * `--expose-gc`): the print kit's loader reads the glyph packs of build/assets through a stand-in
 * for the PRINT_FONTS binding, then the PDF is written. Prints, as JSON: the blocks fetched and
 * their bytes, the glyphs the file holds, and the memory the file's fonts keep (heap and array
 * buffers after a full collection, the isolate's block cache emptied, over the same measure
 * before), or the 400 that refused it.
 *
 * Cases (argv[2]): `plain` (Latin names), `zh` (1,200 stores named from the 3,755 common Han
 * characters), `mixed` (a third each Chinese, Japanese with kana, Korean), `shaped` (Tibetan,
 * Thaana, Syriac, N'Ko and Devanagari names, shaped by HarfBuzz), `dense` (every name
 * 200 consecutive Han characters), `blocks` (12 cards, or more if they need more, whose names
 * draw one character from as many blocks of the faces as a file may: LIMITS.printFontBlocks).
 */
import { existsSync, readFileSync } from "node:fs";
import { ApiError } from "../src/core/errors";
import { printTexts } from "../src/pages/print-layout";
import type { PrintItem } from "../src/pages/print-marks";
import { renderPrintSheetsPdf } from "../src/pages/print-pdf";
import { forgetPrintFonts, loadPrintFonts } from "../src/store/print-fonts";

const ROOT = new URL("../build/assets", import.meta.url).pathname;
const gc = (globalThis as unknown as { gc: () => void }).gc;
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
};
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (bytes: number) => Number((bytes / 1048576).toFixed(1));

let fetches = 0;
let fetched = 0;
const binding = {
  async fetch(req: Request) {
    const path = ROOT + new URL(req.url).pathname;
    if (!existsSync(path)) return new Response(null, { status: 404 });
    const bytes = readFileSync(path);
    if (path.endsWith(".bin")) {
      fetches++;
      fetched += bytes.length;
    }
    return new Response(bytes);
  },
} as unknown as Fetcher;

let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
/** Characters a legacy two-byte encoding lists, in order (GB2312 level 1, KS X 1001 Hangul). */
function table(encoding: string, hi: [number, number]): string[] {
  const decoder = new TextDecoder(encoding);
  const out: string[] = [];
  for (let h = hi[0]; h <= hi[1]; h++)
    for (let l = 0xa1; l <= 0xfe; l++) {
      const ch = decoder.decode(new Uint8Array([h, l]));
      if (ch.length === 1 && ch !== "\ufffd") out.push(ch);
    }
  return out;
}
const pick = (xs: string[], n: number) =>
  Array.from({ length: n }, () => xs[Math.floor(random() * xs.length)]).join("");

function names(mode: string): { name: string; label: string }[] {
  const han = table("gbk", [0xb0, 0xd7]);
  const hangul = table("euc-kr", [0xb0, 0xc8]);
  const kana = Array.from({ length: 86 }, (_, i) => String.fromCodePoint(0x3041 + i));
  const say = (i: number, n: number) =>
    mode === "zh" || i % 3 === 0
      ? pick(han, n)
      : i % 3 === 1
        ? pick(kana, 2) + pick(han, n - 2)
        : pick(hangul, n);
  if (mode === "plain")
    return Array.from({ length: 1200 }, (_, i) => ({
      name: "Shibuya Station",
      label: `Shelf ${i}`,
    }));
  if (mode === "zh" || mode === "mixed")
    return Array.from({ length: 1200 }, (_, i) => ({
      name: `${say(i, 4 + (i % 8))}店`,
      label: `${say(i, 2 + (i % 4))} ${i}`,
    }));
  if (mode === "shaped") {
    // Names in the scripts HarfBuzz shapes with a font of their own, the right-to-left ones too.
    const words = ["སྒྲོལ་མ་ཚོང་ཁང་", "ދިވެހި ފިހާރަ", "ܒܝܬ ܠܚܡܐ", "ߞߊ߲ߞߊ߲ ߝߊ߲ߓߊ", "श्री गणेश स्वीट्स"];
    return Array.from({ length: 1200 }, (_, i) => ({
      name: `${words[i % words.length]} ${i}`,
      label: words[(i + 1) % words.length]!,
    }));
  }
  if (mode === "dense") {
    let cp = 0x4e00;
    const run = (n: number) => String.fromCodePoint(...Array.from({ length: n }, () => cp++));
    return Array.from({ length: 1200 }, () => ({ name: run(199), label: run(99) }));
  }
  throw new Error(`no case ${mode}: plain, zh, mixed, shaped, dense or blocks`);
}

/** The first character of every block of each face drawn letter by letter, per face and weight. */
function firstCharacters(): { face: string; bold: boolean; cps: number[] }[] {
  const out: { face: string; bold: boolean; cps: number[] }[] = [];
  for (const face of BLOCK_FACES)
    for (const weight of [400, 700]) {
      const dir = `${ROOT}/print-fonts/1/${face}-${weight}`;
      const info = JSON.parse(readFileSync(`${dir}/face.json`, "utf8")) as { blocks: number[] };
      const cps = info.blocks.map((b) =>
        readFileSync(`${dir}/${b.toString(16)}.bin`).readUInt32BE(8),
      );
      out.push({ face, bold: weight === 700, cps });
    }
  return out;
}
const BLOCK_FACES = [
  "sc",
  "tc",
  "jp",
  "kr",
  "th",
  "he",
  "ar",
  "armn",
  "geor",
  "ethi",
  "latn",
  "emoji",
];

/**
 * `blocks`: the first character of the first `limit` blocks, taken a block of each face and
 * weight in turn (so every face is in it however few), in texts set in that face (a prefix
 * picks its chain: `の` Japanese, `한` Korean…): four texts a name and four a label, on 12 cards
 * or more if they need more.
 */
function blockCards(limit: number): { name: string; label: string }[] {
  const faces = firstCharacters();
  const taken = faces.map(() => [] as number[]);
  let n = 0;
  for (let round = 0; n < limit && faces.some((f) => f.cps.length > round); round++)
    faces.forEach((f, i) => {
      if (n < limit && round < f.cps.length) {
        taken[i]!.push(f.cps[round]!);
        n++;
      }
    });
  const prefix: Record<string, string> = { jp: "の", kr: "한", th: "ก", tc: "中" };
  const texts = faces.flatMap((f, i) => {
    const out: { text: string; bold: boolean }[] = [];
    for (let at = 0; at < taken[i]!.length; at += 90)
      out.push({
        text: (prefix[f.face] ?? "ş") + String.fromCodePoint(...taken[i]!.slice(at, at + 90)),
        bold: f.bold,
      });
    return out;
  });
  const bold = texts.filter((t) => t.bold);
  const regular = texts.filter((t) => !t.bold);
  const cards = Math.max(12, Math.ceil(Math.max(bold.length, regular.length) / 4));
  return Array.from({ length: cards }, (_, i) => ({
    name: bold
      .slice(i * 4, i * 4 + 4)
      .map((t) => t.text)
      .join(""),
    label: regular
      .slice(i * 4, i * 4 + 4)
      .map((t) => t.text)
      .join(""),
  }));
}

const toItems = (list: { name: string; label: string }[]): PrintItem[] =>
  list.map((n, i) => {
    const code = String(1_000_000_000 + i * 7919).slice(0, 10);
    return {
      url: `HTTPS://QR.EXAMPLE.COM/P/${code}`,
      displayCode: `${code.slice(0, 5)}-${code.slice(5)}`,
      storeName: n.name,
      label: n.label,
    };
  });

const mode = process.argv[2] ?? "zh";
const o = {
  host: "qr.example.com",
  ...(mode.startsWith("blocks") ? { lang: "zh-Hant" as const } : {}),
};
/**
 * The `blocks` case as large as a file may be (LIMITS.printFontBlocks): the most blocks' first
 * characters whose file is not refused, found by halving. Run in a process of its own
 * (`blocks-size`, by bench/print-memory.mjs), so the measured file loads as cold as the others.
 */
async function largestAllowed(): Promise<number> {
  let [lo, hi] = [0, firstCharacters().reduce((n, f) => n + f.cps.length, 0)];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      await loadPrintFonts(binding, printTexts(toItems(blockCards(mid)), o));
      lo = mid;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      hi = mid - 1;
    }
    forgetPrintFonts();
  }
  return lo;
}
if (mode === "blocks-size") {
  console.log(await largestAllowed());
  process.exit(0);
}
const items = toItems(mode === "blocks" ? blockCards(Number(process.argv[3])) : names(mode));
await settle();
const before = used();
try {
  const fonts = await loadPrintFonts(binding, printTexts(items, o));
  if (!fonts) throw new Error("no print fonts: run node scripts/build-fonts.mjs");
  forgetPrintFonts(); // the isolate's cache (24 MB at most) is every file's, not this one's
  await settle();
  const held = used() - before;
  const pdf = await renderPrintSheetsPdf(items, o, fonts, 0);
  console.log(
    JSON.stringify({
      mode,
      posters: items.length,
      blocks: fetches,
      blockMB: mb(fetched),
      glyphs: fonts.glyphCount(),
      fontsHeldMB: mb(held),
      pdfMB: mb(pdf.length),
    }),
  );
} catch (err) {
  if (!(err instanceof ApiError)) throw err;
  console.log(
    JSON.stringify({ mode, posters: items.length, blocks: fetches, refused: err.message }),
  );
}
