#!/usr/bin/env node
// Print check (`npm run check:print`, run by .ci/run): the real Worker under `wrangler dev`
// (the print kit module and the PRINT_FONTS assets as deployed) prints posters of stores named
// in Latin, Turkish, Simplified and Traditional Chinese, Japanese, Korean, Thai, Hebrew, Arabic
// and with emoji, on sheets in English, the CJK languages, Spanish, Vietnamese, Thai, Turkish,
// Russian, Hebrew and Arabic, and poppler and zbar, which have no CJK, Thai, Hebrew, Arabic or
// emoji fonts here, check what a print shop would get (scripts/check-print-tools.mjs):
//   pdffonts   every font embedded (emb yes, with a ToUnicode map), Thai, emoji, Hebrew and
//              Arabic among them
//   pdftotext  every store name back exactly, right-to-left ones in the order they are written,
//              and each language's card words
//   pdftoppm + zbarimg  every QR on every page decodes to its poster
// then single cards of names typed decomposed (NFD) or holding a Private Use code point, each
// given back by pdftotext as printed and its QR read at 100 dpi, single cards of Armenian,
// Georgian, Ethiopic, Devanagari and the other shaped scripts' names (Bengali… Khmer, Lao,
// Myanmar, Tibetan, Thaana, Syriac, N'Ko: their faces embedded, the names back), and then styled codes
// (scripts/check-print-styled.mjs).
// Needs poppler-utils and zbar-tools (Debian); exits non-zero on any failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_KEY, fetchRetrying, startWorker } from "../bench/lib.mjs";
import { checkStyledCodes } from "./check-print-styled.mjs";
import { cardQr, pdffonts, pdftotext, run, sheetCodes } from "./check-print-tools.mjs";

const NAMES = [
  "Shibuya 渋谷店",
  "新宿店 (East)",
  "臺北 信義店",
  "서울 강남점",
  "しぶや 渋谷",
  "Café Zürich",
  "Şişli Çay Evi",
  "ร้านกาแฟ น้ำ ที่นี่",
  "Café ☕ 🍜",
  "מאפיית השוק",
  "مخبز السوق",
];
/** The sheets' languages. */
const LANGS = ["en", "zh", "zh-Hant", "ja", "ko", "es", "vi", "th", "tr", "ru", "he", "ar"];
/**
 * Names also printed as single cards in a language of their own and rasterised (kept with
 * QB_KEEP_PRINT, to look at): the right-to-left ones, Thai, Turkish and emoji.
 */
const SINGLE_CARDS = [
  ["מאפיית השוק", "he"],
  ["مخبز السوق", "ar"],
  ["ร้านกาแฟ น้ำ ที่นี่", "th"],
  ["Şişli Çay Evi", "tr"],
  ["Café ☕ 🍜", "en"],
];
/**
 * Words of the cards that pdftotext must give back (right-to-left ones in written order), the
 * host (an IP and a port under wrangler dev: digits first, the hard case for right to left) at
 * the end of its line. Written here again, not read from src/pages/print-words.ts: the check
 * is that these exact words come out of a printed file.
 */
const cardWords = (lang, host) =>
  ({
    es: [
      "Escanea con la cámara de tu teléfono",
      `¿No tienes cámara? Escribe el código en ${host}/c`,
    ],
    vi: ["Quét bằng camera điện thoại của bạn", `Không có camera? Nhập mã tại ${host}/c`],
    th: ["สแกนด้วยกล้องโทรศัพท์ของคุณ", `ไม่มีกล้อง? กรอกรหัสที่ ${host}/c`],
    tr: ["Telefonunuzun kamerasıyla tarayın", `Kamera yok mu? Kodu ${host}/c adresine girin`],
    ru: ["Отсканируйте камерой телефона", `Нет камеры? Введите код на ${host}/c`],
    he: ["סרקו עם מצלמת הטלפון", `אין מצלמה? הזינו את הקוד בכתובת ${host}/c`],
    ar: ["امسح الرمز بكاميرا هاتفك", `لا توجد كاميرا؟ أدخل الرمز في ${host}/c`],
  })[lang] ?? [];
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
  /** A poster (`fields`, its path /menu) of a new store named `name`, as the API answers it. */
  const storePoster = async (name, fields) => {
    const store = await (
      await api("/v1/stores", { method: "POST", key, body: JSON.stringify({ name }) })
    ).json();
    const body = JSON.stringify({ path: "/menu", ...fields, store_id: store.id });
    return (await api("/v1/posters", { method: "POST", key, body })).json();
  };
  /** Poster `p`'s print.pdf with `query`, written to `name` in the check's folder: its path. */
  const printCard = async (p, name, query) => {
    const file = join(dir, name);
    const res = await api(`/v1/posters/${p.id}/print.pdf?${query}`, { key });
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    return file;
  };
  const posters = [];
  for (const name of NAMES)
    posters.push(await storePoster(name, { name: `internal ${name}`, campaign: "print check" }));
  for (const lang of LANGS) {
    const ids = posters.map((p) => p.id).join(",");
    const pdf = new Uint8Array(
      await (
        await api(`/v1/posters/print-sheet.pdf?ids=${ids}&lang=${lang}`, { key })
      ).arrayBuffer(),
    );
    const file = join(dir, `sheet-${lang}.pdf`);
    writeFileSync(file, pdf);
    const fonts = pdffonts(file);
    check(
      fonts.length > 0 && fonts.every((l) => / yes yes yes /.test(l)),
      `${lang}: pdffonts: ${fonts.length} fonts, all embedded subsets with ToUnicode`,
    );
    for (const face of [
      "NotoSansHebrew-Bold",
      "NotoSansArabic-Bold",
      "NotoSansThai-Bold",
      "NotoSans-Bold",
      "NotoEmoji-Bold",
    ])
      check(
        fonts.some((l) => l.includes(`+${face} `)),
        `${lang}: pdffonts lists ${face} (embedded)`,
      );
    const text = pdftotext(file);
    for (const name of NAMES) {
      // Read right to left, emoji (neutral) and Thai marks ending a word (non-spacing) are
      // reordered by pdftotext itself ("🍜 ☕ Café", the last marks before the word): there
      // each character must come back; the name comes back exactly from the other sheets and
      // from its single card.
      const reordered =
        RTL_LANGS.has(lang) && /[\p{Extended_Pictographic}\u0e00-\u0e7f]/u.test(name);
      check(
        reordered
          ? [...name].every((ch) => text.includes(ch))
          : text.includes(readBack(name, lang)),
        `${lang}: pdftotext gives back ${JSON.stringify(name)}${reordered ? " (its characters)" : ""}`,
      );
    }
    for (const words of cardWords(lang, new URL(worker.url).host))
      check(text.includes(words), `${lang}: pdftotext gives back ${JSON.stringify(words)}`);
    check(!text.includes("internal "), `${lang}: the posters' internal names are not printed`);
    const decoded = sheetCodes(file, dir);
    const want = posters.map((p) => p.url).sort();
    check(
      JSON.stringify(decoded.sort()) === JSON.stringify(want),
      `${lang}: zbarimg decodes all ${want.length} QR codes, each alone`,
    );
  }
  const card = await printCard(posters[0], "card.pdf", "size=40mm");
  const boxes = run("pdfinfo", ["-box", card]);
  check(/TrimBox:/.test(boxes) && /BleedBox:/.test(boxes), "card: trim and bleed boxes set");
  check(run("pdftotext", [card, "-"]).includes(NAMES[0]), "card: store name exact");
  // Single cards in a language of their own: the name and the card's words back (right-to-left
  // ones in written order), the QR read off a 100 dpi raster (the PNG a person looks at to see
  // the letters join, the Thai marks stack and the emoji draw).
  for (const [name, lang] of SINGLE_CARDS) {
    const p = posters[NAMES.indexOf(name)];
    const file = await printCard(p, `card-${lang}-${p.id}.pdf`, `size=50mm&lang=${lang}`);
    const text = pdftotext(file);
    check(text.includes(name), `card ${name} (${lang}): pdftotext gives it back`);
    for (const words of cardWords(lang, new URL(worker.url).host))
      check(text.includes(words), `card ${name} (${lang}): pdftotext gives back ${words}`);
    check(cardQr(file) === p.url, `card ${name}: zbarimg reads its QR at 100 dpi`);
  }

  // Names a shop's data may hold oddly: typed decomposed (Hangul jamo, Vietnamese with
  // combining marks, as macOS gives them), which print composed, every letter a glyph; holding
  // a Private Use code point where the Thai face keeps its mark forms, which prints as a box
  // and comes back as typed, no Thai letter added. Each a single card, its QR read at 100 dpi.
  const ODD_NAMES = [
    ["\u1100\u1161\u1100\u1166 Pho\u031b\u0309", "가게 Phở", "vi"],
    ["ที่\uf748 Cafe", "ที่\uf748 Cafe", "th"],
  ];
  for (const [name, printed, lang] of ODD_NAMES) {
    const p = await storePoster(name, { name: "odd name" });
    const file = await printCard(p, `card-odd-${p.id}.pdf`, `size=50mm&lang=${lang}`);
    const text = pdftotext(file);
    const what = `card ${JSON.stringify(name)} (${lang})`;
    check(text.includes(printed), `${what}: pdftotext gives back ${JSON.stringify(printed)}`);
    check(
      (text.match(/[\u0e00-\u0e7f]/gu) ?? []).length ===
        (
          (printed + cardWords(lang, new URL(worker.url).host).join("")).match(
            /[\u0e00-\u0e7f]/gu,
          ) ?? []
        ).length,
      `${what}: pdftotext gives back no Thai letter the card does not print`,
    );
    check(cardQr(file) === p.url, `${what}: zbarimg reads its QR at 100 dpi`);
  }

  // Names in the scripts set letter by letter in a face of their own (Armenian, Georgian in
  // Mkhedruli and Mtavruli, Ethiopic), each a single card: its face embedded with a ToUnicode
  // map, the name back exactly, its QR read at 100 dpi.
  const SCRIPT_NAMES = [
    ["Երևան Սրճարան", ["NotoSansArmenian-Bold"]],
    ["თბილისი ᲙᲐᲤᲔ", ["NotoSansGeorgian-Bold"]],
    ["አዲስ ቡና ቤት", ["NotoSansEthiopic-Bold"]],
    ["Սրճ კაფე ቡና", ["NotoSansArmenian-Bold", "NotoSansGeorgian-Bold", "NotoSansEthiopic-Bold"]],
    // Devanagari, shaped by HarfBuzz: the i sign before its consonant, conjuncts, the reph and
    // marks GPOS moves; each cluster's text on its first glyph, so the name comes back.
    ["हिन्दी किराना", ["NotoSansDevanagari-Bold"]],
    ["श्री गणेश स्वीट्स", ["NotoSansDevanagari-Bold"]],
    ["क्षत्रिय कर्म क्कू अर्द्ध", ["NotoSansDevanagari-Bold"]],
    ["श्री Ganesh 24", ["NotoSansDevanagari-Bold", "NotoSansSC-Bold"]],
    // The other scripts HarfBuzz shapes, a card each (Khmer and Myanmar with no spaces).
    ["মিষ্টি দোকান", ["NotoSansBengali-Bold"]],
    ["ਪੰਜਾਬੀ ਢਾਬਾ", ["NotoSansGurmukhi-Bold"]],
    ["ગુજરાતી દુકાન", ["NotoSansGujarati-Bold"]],
    ["ଓଡ଼ିଆ ଦୋକାନ ଶ୍ରୀ", ["NotoSansOriya-Bold"]],
    ["தமிழ் கடை ஸ்ரீ", ["NotoSansTamil-Bold"]],
    ["తెలుగు దుకాణం శ్రీ", ["NotoSansTelugu-Bold"]],
    ["ಕನ್ನಡ ಅಂಗಡಿ ಶ್ರೀ", ["NotoSansKannada-Bold"]],
    ["മലയാളം കട ശ്രീ", ["NotoSansMalayalam-Bold"]],
    ["ශ්‍රී ලංකා කඩය", ["NotoSansSinhala-Bold"]],
    ["ហាងកាហ្វេ", ["NotoSansKhmer-Bold"]],
    ["ຮ້ານກາເຟ ວຽງຈັນ", ["NotoSansLao-Bold"]],
    ["ကော်ဖီဆိုင်", ["NotoSansMyanmar-Bold"]],
    // Tibetan (Noto Serif: there is no Noto Sans Tibetan), and right to left Thaana, Syriac and
    // N'Ko (joined as Arabic is; N'Ko's face has a regular weight only), given back as written.
    ["སྒྲོལ་མ་ཚོང་ཁང་", ["NotoSerifTibetan-Bold"]],
    ["ܒܝܬ ܠܚܡܐ", ["NotoSansSyriac-Bold"]],
    ["ދިވެހި ފިހާރު", ["NotoSansThaana-Bold"], "letters"],
    ["ߞߊ߲ߞߊ߲ ߝߊ߲ߓߊ", ["NotoSansNKo-Regular"], "letters"],
    [
      "মিষ্টি श्री தமிழ் Café",
      ["NotoSansBengali-Bold", "NotoSansDevanagari-Bold", "NotoSansTamil-Bold"],
    ],
  ];
  // "letters": pdftotext gives back every letter, not their order. poppler reads a right-to-left
  // word whose last letter carries a vowel sign (every Thaana word) with that sign first (as it
  // does an Arabic or Hebrew one's), and does not know N'Ko is right to left; the order is the
  // PDF's own, checked in test/integration/print-scripts-rtl-tibetan.test.ts.
  const letters = (text) => [...text.replace(/[\s\u202a-\u202e]/gu, "")].sort().join("");
  for (const [name, faces, only] of SCRIPT_NAMES) {
    const p = await storePoster(name, { name: "script name" });
    const file = await printCard(p, `card-script-${p.id}.pdf`, "size=50mm");
    const what = `card ${JSON.stringify(name)}`;
    const fonts = pdffonts(file);
    check(
      fonts.length > 0 && fonts.every((l) => / yes yes yes /.test(l)),
      `${what}: pdffonts: ${fonts.length} fonts, all embedded subsets with ToUnicode`,
    );
    for (const face of faces)
      check(
        fonts.some((l) => l.includes(`+${face} `)),
        `${what}: pdffonts lists ${face}`,
      );
    const line = pdftotext(file).split("\n")[0];
    if (only === "letters")
      check(letters(line) === letters(name), `${what}: pdftotext gives back its letters`);
    else check(pdftotext(file).includes(name), `${what}: pdftotext gives it back`);
    check(cardQr(file) === p.url, `${what}: zbarimg reads its QR at 100 dpi`);
  }

  await checkStyledCodes({ api, key, dir, check });
} finally {
  await worker.stop();
  if (failures === 0 && !process.env.QB_KEEP_PRINT) rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
console.log(`print check: ${failures === 0 ? "all passed" : `${failures} failed`}`);
process.exit(failures ? 1 : 0);
