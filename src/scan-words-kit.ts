/**
 * The scan pages' words in every language but English and Simplified Chinese (those two are in
 * the main bundle), as one module: sixteen catalogs would not fit the main bundle's budget.
 * Built by scripts/build-lazy-modules.mjs into src/generated/scan-words-kit.js and uploaded
 * beside the Worker (wrangler.toml `find_additional_modules`); a page in one of these
 * languages imports it once per isolate (routes/scan-language.ts), an English page never does.
 */
import type { KitLang, Words } from "./pages/i18n";
import { AR } from "./pages/words/ar";
import { DE } from "./pages/words/de";
import { ES } from "./pages/words/es";
import { FR } from "./pages/words/fr";
import { HE } from "./pages/words/he";
import { ID } from "./pages/words/id";
import { IT } from "./pages/words/it";
import { JA } from "./pages/words/ja";
import { KO } from "./pages/words/ko";
import { PT } from "./pages/words/pt";
import { RU } from "./pages/words/ru";
import { TH } from "./pages/words/th";
import { TR } from "./pages/words/tr";
import { VI } from "./pages/words/vi";
import { ZH_HANT } from "./pages/words/zh-hant";

/** Every catalog of the kit, by language tag. */
export const SCAN_WORDS: Record<KitLang, Words> = {
  "zh-Hant": ZH_HANT,
  ja: JA,
  ko: KO,
  es: ES,
  fr: FR,
  de: DE,
  pt: PT,
  it: IT,
  id: ID,
  vi: VI,
  th: TH,
  tr: TR,
  ru: RU,
  he: HE,
  ar: AR,
};
