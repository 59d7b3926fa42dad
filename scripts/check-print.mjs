#!/usr/bin/env node
// Print check (`npm run check:print`, run by .ci/run): the real Worker under `wrangler dev`
// (the print kit module and the PRINT_FONTS assets as deployed) prints posters of stores named
// in Latin, Simplified and Traditional Chinese, Japanese, Korean, Hebrew and Arabic, and
// poppler and zbar, which have no CJK, Hebrew or Arabic fonts here, check what a print shop
// would get:
//   pdffonts   every font embedded (emb yes, with a ToUnicode map), Hebrew and Arabic among them
//   pdftotext  every store name back exactly, right-to-left ones in the order they are written
//   pdftoppm + zbarimg  every QR on every page decodes to its poster
// and then styled codes (colours, dots, rounded finders, centre logos up to the largest size
// accepted), each as the PNG of /qr/p/… and on a print PDF page, decoded by zbarimg.
// Needs poppler-utils and zbar-tools (Debian); exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "fast-png";
import { ADMIN_KEY, fetchRetrying, startWorker } from "../bench/lib.mjs";

const NAMES = [
  "Shibuya 渋谷店",
  "新宿店 (East)",
  "臺北 信義店",
  "서울 강남점",
  "しぶや 渋谷",
  "Café Zürich",
  "מאפיית השוק",
  "مخبز السوق",
];
/**
 * The right-to-left names, also printed as single cards in their language and rasterised (kept
 * with QB_KEEP_PRINT), with the language each is printed in.
 */
const RTL_NAMES = NAMES.slice(-2);
const RTL_LANG = { [NAMES.at(-2)]: "he", [NAMES.at(-1)]: "ar" };
/**
 * Words of the right-to-left cards that pdftotext must give back in written order, the host
 * (an IP and a port under wrangler dev: digits first, the hard case) at the end of its line.
 */
const cardWords = (lang, host) =>
  ({
    he: ["סרקו עם מצלמת הטלפון", `אין מצלמה? הזינו את הקוד בכתובת ${host}/c`],
    ar: ["امسح الرمز بكاميرا هاتفك", `لا توجد كاميرا؟ أدخل الرمز في ${host}/c`],
  })[lang] ?? [];
/**
 * pdftotext's text without the embedding marks (U+202A–U+202E) it puts around a right-to-left
 * run, nor the LRMs that keep a printed host one left-to-right run (they draw nothing). It
 * reads a page in its main direction (right to left on he and ar sheets), each right-to-left
 * run put back in written order: a name that is all Hebrew or Arabic comes back exactly, one
 * with digits or Latin around it comes back in the order its runs stand on the card
 * ("24 מאפיית השוק" for "מאפיית השוק 24").
 */
const pdftotext = (file) =>
  run("pdftotext", [file, "-"]).replace(/[\u200e\u200f\u202a-\u202e]/g, "");
/**
 * What pdftotext gives back for `name` on a page of `lang`. On a Hebrew or Arabic sheet most
 * lines are right to left, so it reads the page right to left and a left-to-right name's
 * trailing punctuation (neutral) comes back before it: "新宿店 (East)" as ")新宿店 (East". The
 * card draws the name as on an English sheet; only the reading differs.
 */
const readBack = (name, lang) => {
  const tail = /[\p{P}\s]+$/u.exec(name)?.[0];
  if (!RTL_LANGS.has(lang) || !tail || /[\u0590-\u08ff]/u.test(name)) return name;
  return tail + name.slice(0, -tail.length);
};
const RTL_LANGS = new Set(["he", "ar"]);
const dir = mkdtempSync(join(tmpdir(), "qrbridge-print-"));
// zbarimg writes D-Bus noise to stderr on machines without a session bus: keep stderr out.
const run = (cmd, args) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
/** What zbarimg reads in an image: "" when it finds no code (it exits non-zero then). */
const zbar = (file) => {
  try {
    return run("zbarimg", ["-q", "--raw", file]).trim();
  } catch {
    return "";
  }
};
/**
 * Every QR code of a sheet PDF, each read alone: every page rendered at 300 dpi cell by cell of
 * its 3 × 4 grid of cards (the TrimBox), each cell decoded by zbarimg. Read whole, a page of
 * several codes now and then loses one to zbar's page scan at one resolution or another
 * though the same code reads alone (found on plain black codes): the cell is what a phone sees.
 */
const sheetCodes = (file) => {
  const info = run("pdfinfo", ["-box", file]);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const height = Number(/Page size:\s+[\d.]+ x ([\d.]+)/.exec(info)[1]);
  const [x0, y0, x1, y1] = /TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/
    .exec(info)
    .slice(1)
    .map(Number);
  const px = (pt) => Math.round((pt * 300) / 72);
  const [w, h] = [(x1 - x0) / 3, (y1 - y0) / 4];
  const codes = [];
  for (let page = 1; page <= pages; page++)
    for (let cell = 0; cell < 12; cell++) {
      const [left, top] = [x0 + (cell % 3) * w, height - y1 + Math.floor(cell / 3) * h];
      const out = join(dir, `cell-${page}-${cell}`);
      const geometry = ["-x", px(left), "-y", px(top), "-W", px(w), "-H", px(h)].map(String);
      run("pdftoppm", [
        "-r",
        "300",
        "-png",
        "-singlefile",
        "-f",
        `${page}`,
        "-l",
        `${page}`,
        ...geometry,
        file,
        out,
      ]);
      codes.push(...zbar(`${out}.png`).split("\n").filter(Boolean));
    }
  return codes;
};
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

const worker = await startWorker();
try {
  const api = async (path, init = {}) => {
    const res = await fetchRetrying(`${worker.url}${path}`, {
      ...init,
      headers: {
        "content-type": "application/json",
        ...init.headers,
        authorization: `Bearer ${init.key ?? ADMIN_KEY}`,
      },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const key = (
    await (
      await api("/v1/keys", {
        method: "POST",
        body: JSON.stringify({ name: "print check", kind: "secret", scopes: ["posters:write"] }),
      })
    ).json()
  ).key;
  const posters = [];
  for (const name of NAMES) {
    const store = await (
      await api("/v1/stores", { method: "POST", key, body: JSON.stringify({ name }) })
    ).json();
    const body = JSON.stringify({
      name: `internal ${name}`,
      path: "/menu",
      store_id: store.id,
      campaign: "print check",
    });
    posters.push(await (await api("/v1/posters", { method: "POST", key, body })).json());
  }
  for (const lang of ["en", "zh", "zh-Hant", "ja", "ko", "he", "ar"]) {
    const ids = posters.map((p) => p.id).join(",");
    const pdf = new Uint8Array(
      await (
        await api(`/v1/posters/print-sheet.pdf?ids=${ids}&lang=${lang}`, { key })
      ).arrayBuffer(),
    );
    const file = join(dir, `sheet-${lang}.pdf`);
    writeFileSync(file, pdf);
    const fonts = run("pdffonts", [file]).trim().split("\n").slice(2);
    check(
      fonts.length > 0 && fonts.every((l) => / yes yes yes /.test(l)),
      `${lang}: pdffonts: ${fonts.length} fonts, all embedded subsets with ToUnicode`,
    );
    for (const face of ["NotoSansHebrew-Bold", "NotoSansArabic-Bold"])
      check(
        fonts.some((l) => l.includes(`+${face} `)),
        `${lang}: pdffonts lists ${face} (embedded)`,
      );
    const text = pdftotext(file);
    for (const name of NAMES)
      check(
        text.includes(readBack(name, lang)),
        `${lang}: pdftotext gives back ${JSON.stringify(name)}`,
      );
    for (const words of cardWords(lang, new URL(worker.url).host))
      check(text.includes(words), `${lang}: pdftotext gives back ${JSON.stringify(words)}`);
    check(!text.includes("internal "), `${lang}: the posters' internal names are not printed`);
    const decoded = sheetCodes(file);
    const want = posters.map((p) => p.url).sort();
    check(
      JSON.stringify(decoded.sort()) === JSON.stringify(want),
      `${lang}: zbarimg decodes all ${want.length} QR codes, each alone`,
    );
  }
  const card = new Uint8Array(
    await (await api(`/v1/posters/${posters[0].id}/print.pdf?size=40mm`, { key })).arrayBuffer(),
  );
  writeFileSync(join(dir, "card.pdf"), card);
  const boxes = run("pdfinfo", ["-box", join(dir, "card.pdf")]);
  check(/TrimBox:/.test(boxes) && /BleedBox:/.test(boxes), "card: trim and bleed boxes set");
  check(
    run("pdftotext", [join(dir, "card.pdf"), "-"]).includes(NAMES[0]),
    "card: store name exact",
  );
  // Right-to-left cards in their own language: the name and the card's words back in written
  // order, the QR read off a 100 dpi raster (the PNG a person looks at to see the letters join
  // and read right to left).
  for (const name of RTL_NAMES) {
    const p = posters[NAMES.indexOf(name)];
    const lang = RTL_LANG[name];
    const file = join(dir, `card-${lang}-${p.id}.pdf`);
    const path = `/v1/posters/${p.id}/print.pdf?size=50mm&lang=${lang}`;
    writeFileSync(file, new Uint8Array(await (await api(path, { key })).arrayBuffer()));
    const text = pdftotext(file);
    check(text.includes(name), `card ${name} (${lang}): pdftotext gives it back`);
    for (const words of cardWords(lang, new URL(worker.url).host))
      check(text.includes(words), `card ${name} (${lang}): pdftotext gives back ${words}`);
    run("pdftoppm", ["-r", "100", "-png", "-singlefile", file, file.replace(/\.pdf$/, "")]);
    check(
      zbar(file.replace(/\.pdf$/, ".png")) === p.url,
      `card ${name}: zbarimg reads its QR at 100 dpi`,
    );
  }

  // Styled codes: the logos a company might upload, a dark solid one the worst case.
  const logoPng = (w, h, paint) => {
    const data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(paint(x, y), (y * w + x) * 4);
    return Buffer.from(encode({ width: w, height: h, data, channels: 4, depth: 8 }));
  };
  const upload = async (png) =>
    (
      await (
        await api("/v1/logos", {
          method: "POST",
          key,
          body: JSON.stringify({ png: png.toString("base64") }),
        })
      ).json()
    ).id;
  const disc = await upload(
    logoPng(96, 96, (x, y) =>
      (x - 48) ** 2 + (y - 48) ** 2 < 46 ** 2
        ? (x >> 4) % 2
          ? [183, 28, 28, 255]
          : [255, 193, 7, 255]
        : [0, 0, 0, 0],
    ),
  );
  const block = await upload(logoPng(120, 60, () => [0, 0, 0, 255]));
  const STYLES = [
    { fg: "#1a237e", modules: "dots", finder: "rounded", finder_color: "#b71c1c" },
    { fg: "#004d40", bg: "#fff8e1", modules: "rounded", logo: disc },
    { logo: block, logo_size: 0.33 },
    {
      fg: "#4a148c",
      bg: "#e3f2fd",
      modules: "dots",
      finder: "rounded",
      logo: disc,
      logo_size: 0.25,
    },
    { fg: "#3e2723", modules: "rounded", finder: "rounded", logo: block, logo_size: 0.2 },
  ];
  const styled = [];
  for (const [i, style] of STYLES.entries()) {
    const body = JSON.stringify({ name: `styled ${i}`, path: `/s/${i}`, style });
    styled.push(await (await api("/v1/posters", { method: "POST", key, body })).json());
  }
  for (const [i, p] of styled.entries()) {
    const file = join(dir, `styled-${i}.png`);
    writeFileSync(file, new Uint8Array(await (await fetchRetrying(p.qr.png)).arrayBuffer()));
    const got = zbar(file);
    check(got === p.url, `styled ${i} ${JSON.stringify(STYLES[i])}: PNG decodes`);
  }
  const sheet = join(dir, "styled-sheet.pdf");
  const ids = styled.map((p) => p.id).join(",");
  writeFileSync(
    sheet,
    new Uint8Array(
      await (await api(`/v1/posters/print-sheet.pdf?ids=${ids}`, { key })).arrayBuffer(),
    ),
  );
  const styledCodes = sheetCodes(sheet);
  check(
    JSON.stringify(styledCodes.sort()) === JSON.stringify(styled.map((p) => p.url).sort()),
    `styled print PDF: zbarimg decodes all ${styled.length} styled codes`,
  );
} finally {
  await worker.stop();
  if (failures === 0 && !process.env.QB_KEEP_PRINT) rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
console.log(`print check: ${failures === 0 ? "all passed" : `${failures} failed`}`);
process.exit(failures ? 1 : 0);
